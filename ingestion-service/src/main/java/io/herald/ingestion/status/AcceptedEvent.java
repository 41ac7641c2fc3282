package io.herald.ingestion.status;

import io.herald.events.EventAccepted;
import io.herald.events.JsonCodec;
import io.herald.events.Versioned;

import java.time.Instant;
import java.util.Objects;

/**
 * The part of an {@link EventAccepted} the status view needs. Decoding only these fields
 * (unknown ones are skipped) makes reading the event log cheap for the view; the routing stage
 * decodes and checks the whole event.
 */
record AcceptedEvent(int schemaVersion, String tenant, String eventId, Instant acceptedAt, String type)
		implements Versioned {

	static final JsonCodec<AcceptedEvent> CODEC = new JsonCodec<>(AcceptedEvent.class, EventAccepted.SCHEMA_VERSION);

	AcceptedEvent {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(acceptedAt, "acceptedAt");
		Objects.requireNonNull(type, "type");
	}

}
