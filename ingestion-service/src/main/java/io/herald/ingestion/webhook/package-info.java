/**
 * Webhooks: tenants register endpoints ({@code /v1/webhooks}) that are called, signed,
 * for the delivery state changes they subscribe to, at least once, retried with backoff
 * and dead-lettered when given up (docs/adr/028).
 */
@NullMarked
package io.herald.ingestion.webhook;

import org.jspecify.annotations.NullMarked;
