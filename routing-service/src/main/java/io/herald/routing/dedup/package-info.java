/** Deduplication of events and per-user rate limits. */
@NullMarked
package io.herald.routing.dedup;

import org.jspecify.annotations.NullMarked;
