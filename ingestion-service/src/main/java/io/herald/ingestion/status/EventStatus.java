package io.herald.ingestion.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /v1/events/{id}}: the deliveries one by one, or for a large
 * fan-out a summary of counts per channel and state. {@code cancelledAt} says when a
 * {@code DELETE /v1/events/{id}} cancelled the event; left out otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EventStatus(String eventId, String status, @Nullable String acceptedAt, @Nullable String cancelledAt,
		@Nullable List<Delivery> deliveries, @Nullable Map<String, Map<String, Long>> summary) {
}
