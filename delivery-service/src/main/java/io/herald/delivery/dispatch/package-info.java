/**
 * Consumes the delivery lanes and turns each request into idempotent sends through the
 * providers of its channel, with failover, circuit breakers and critical fallback.
 */
@NullMarked
package io.herald.delivery.dispatch;

import org.jspecify.annotations.NullMarked;
