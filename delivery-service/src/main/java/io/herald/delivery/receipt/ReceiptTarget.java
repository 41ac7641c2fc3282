package io.herald.delivery.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.delivery.provider.Send;
import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

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
 * @param digestOf for a digest, the events it lists, whose statuses follow the digest's
 * ({@link DeliverNotification#digestOf()}); empty otherwise, and for a reference of an
 * earlier release
 */
record ReceiptTarget(String tenant, String eventId, String userId, Channel channel, @Nullable String device,
		@Nullable Instant sentAt, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> digestOf) {

	ReceiptTarget {
		digestOf = (digestOf != null) ? List.copyOf(digestOf) : List.of();
	}

	/** The target of a send about to be made at {@code sentAt}. */
	static ReceiptTarget of(Send send, Instant sentAt) {
		DeliverNotification notification = send.notification();
		return new ReceiptTarget(notification.tenant(), notification.eventId(), notification.userId(), send.channel(),
				(send.device() != null) ? send.device().label() : null, sentAt, notification.digestOf());
	}

}
