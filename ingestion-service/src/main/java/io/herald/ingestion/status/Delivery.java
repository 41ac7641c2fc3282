package io.herald.ingestion.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.events.StatusReported;
import org.jspecify.annotations.Nullable;

import java.time.temporal.ChronoUnit;
import java.util.Comparator;

/**
 * One delivery of an event, as {@code GET /v1/events/{id}} lists it (API.md section 1).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Delivery(String userId, String channel, @Nullable String device, String state, @Nullable String reason,
		@Nullable String until, @Nullable String providerId, @Nullable Long seq, String at) {

	static final Comparator<Delivery> ORDER = Comparator.comparing(Delivery::userId)
		.thenComparing(Delivery::channel)
		.thenComparing((delivery) -> (delivery.device() != null) ? delivery.device() : "");

	/**
	 * The delivery a status record reports, its time to the millisecond: the view orders
	 * states by the millisecond (DeliveryState#replaces) and stores most deliveries'
	 * times as milliseconds.
	 */
	static Delivery of(StatusReported status) {
		return new Delivery(status.userId(), status.channel().wireName(), status.device(), status.state().wireName(),
				status.reason(), (status.until() != null) ? status.until().toString() : null, status.providerId(),
				status.seq(), status.at().truncatedTo(ChronoUnit.MILLIS).toString());
	}

}
