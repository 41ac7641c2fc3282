/** Deduplication of events published under an idempotency key. */
@NullMarked
package io.herald.routing.dedup;

import org.jspecify.annotations.NullMarked;
