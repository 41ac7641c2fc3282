package io.herald.delivery.receipt;

import io.herald.events.Channel;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * The delivery a receipt reference stands for: where its statuses go.
 *
 * @param tenant the tenant
 * @param eventId the event
 * @param userId the recipient
 * @param channel the channel the send travelled (a fallback's, for a fallback send)
 * @param device the device label, for push; {@code null} otherwise
 * @param sentAt when the send was about to be made (its reference written), or
 * {@code null} for a reference of an earlier release: the time of the evidence a receipt
 * gives
 */
record ReceiptTarget(String tenant, String eventId, String userId, Channel channel, @Nullable String device,
		@Nullable Instant sentAt) {
}
