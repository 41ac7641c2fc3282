/** The ingestion service. */
@NullMarked
package io.herald.ingestion;

import org.jspecify.annotations.NullMarked;
