/**
 * The Java client of Herald's public REST API (API.md sections 1 and 2), for product
 * services.
 *
 * <p>
 * {@link io.herald.client.HeraldClient} is the entry point: {@code events()} publishes
 * events and reads their status, {@code users()} manages profiles, preferences, devices
 * and topic subscriptions. Every answer that is not a success is a
 * {@link io.herald.client.HeraldApiException} carrying the problem detail and its
 * {@link io.herald.client.ProblemKind}; a request that never got an answer is a
 * {@link io.herald.client.HeraldTransportException}. Requests that are safe to repeat are
 * retried by the client, honouring {@code Retry-After}
 * ({@link io.herald.client.RetryPolicy}). {@link io.herald.client.UserTokenMinter} signs
 * the user tokens browsers and apps present to the gateway.
 */
@NullMarked
package io.herald.client;

import org.jspecify.annotations.NullMarked;
