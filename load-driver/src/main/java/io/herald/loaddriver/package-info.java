/**
 * A load driver that speaks only Herald's public API: it drives a running platform at a fixed,
 * open-loop rate and measures throughput and latency with HdrHistogram.
 */
@NullMarked
package io.herald.loaddriver;

import org.jspecify.annotations.NullMarked;
