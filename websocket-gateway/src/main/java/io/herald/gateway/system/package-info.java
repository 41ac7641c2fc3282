/** The clock, the topics this service declares, and how its consumers react to failures. */
@NullMarked
package io.herald.gateway.system;

import org.jspecify.annotations.NullMarked;
