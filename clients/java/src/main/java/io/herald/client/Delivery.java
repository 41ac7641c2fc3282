package io.herald.client;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * One delivery of an event: a user on a channel (and device, for push).
 *
 * @param userId the recipient
 * @param channel the channel's wire name ({@link Channel#wireName()})
 * @param device the device, for push
 * @param state the latest state
 * @param stateName the latest state's wire name, also for a state this client does not
 * know
 * @param reason why, for {@code suppressed}, {@code deferred} and {@code failed}
 * @param seq the inbox position, for in-app
 * @param providerId the provider's id of the message, for {@code sent}
 * @param until when a deferred delivery is due
 * @param at when the state was reached
 */
public record Delivery(String userId, String channel, @Nullable String device, DeliveryState state, String stateName,
		@Nullable String reason, @Nullable Long seq, @Nullable String providerId, @Nullable Instant until,
		@Nullable Instant at) {
}
