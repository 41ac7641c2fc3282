/**
 * How a service writes its log: lines for people, or structured JSON for a log pipeline.
 */
@NullMarked
package io.herald.support.logging;

import org.jspecify.annotations.NullMarked;
