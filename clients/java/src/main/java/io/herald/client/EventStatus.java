package io.herald.client;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An event's delivery status.
 *
 * @param eventId the event
 * @param acceptedAt when it was accepted
 * @param cancelledAt when it was cancelled ({@link Events#cancel(String)}), or
 * {@code null}
 * @param deliveries each delivery, for events to at most 1,000 recipients
 * @param summary counts per channel and state, for larger fan-outs (wire names as keys)
 */
public record EventStatus(String eventId, @Nullable Instant acceptedAt, @Nullable Instant cancelledAt,
		List<Delivery> deliveries, Map<String, Map<String, Long>> summary) {

	public EventStatus {
		deliveries = List.copyOf(deliveries);
		summary = Map.copyOf(summary);
	}

}
