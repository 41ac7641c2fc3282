/**
 * The meters every stage shares: the notification funnel, its end-to-end latencies and
 * the consumer lag of the service's own consumer groups.
 */
@NullMarked
package io.herald.support.metrics;

import org.jspecify.annotations.NullMarked;
