/** Per-key rate limits, shared by every ingestion instance through Redis. */
@NullMarked
package io.herald.ingestion.ratelimit;

import org.jspecify.annotations.NullMarked;
