/**
 * A load driver that speaks only Herald's public API: it drives a running platform at a
 * fixed, open-loop rate and measures throughput and latency with HdrHistogram, as a
 * product service publishing events and as WebSocket users receiving them.
 */
@NullMarked
package io.herald.loaddriver;

import org.jspecify.annotations.NullMarked;
