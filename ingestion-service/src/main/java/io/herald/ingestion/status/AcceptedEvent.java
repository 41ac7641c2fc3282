package io.herald.ingestion.status;

import io.herald.events.EventAccepted;
import io.herald.events.HeaderNames;
import io.herald.events.JsonCodec;
import io.herald.events.PartitionKeys;
import io.herald.events.RecordDecodingException;
import io.herald.events.Topics;
import io.herald.events.Versioned;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The part of an {@link EventAccepted} the status view needs. Ingestion writes all of it
 * in the record's key and CloudEvents headers, so the view reads it from there
 * ({@link #of(ConsumerRecord)}) without parsing the event; a record without them is
 * decoded, only these fields (unknown ones are skipped). The routing stage decodes and
 * checks the whole event.
 *
 * @param log the event log the event is on, when it is not {@link Topics#EVENTS}
 * ({@code null} then)
 * @param key the event's key on its log, when it is not {@code tenant|eventId}
 * ({@code null} then): a cancellation is written to the same log under the same key
 * (docs/adr/029)
 * @param position {@code <partition>:<offset>} of the event's record on its log, where a
 * cancellation reads the event's recipients; {@code null} when not read from a record
 */
record AcceptedEvent(int schemaVersion, String tenant, String eventId, Instant acceptedAt, String type,
		@Nullable String log, @Nullable String key, @Nullable String position) implements Versioned {

	static final JsonCodec<AcceptedEvent> CODEC = new JsonCodec<>(AcceptedEvent.class, EventAccepted.SCHEMA_VERSION);

	/**
	 * The acceptance of the event a record of an event log carries: from its key and
	 * headers when they say all of it, else decoded from its value.
	 * @throws RecordDecodingException when neither says it
	 */
	static @Nullable AcceptedEvent of(ConsumerRecord<String, byte[]> record) {
		Headers headers = record.headers();
		String id = HeaderNames.lastValue(headers, HeaderNames.CE_ID);
		String time = HeaderNames.lastValue(headers, HeaderNames.CE_TIME);
		String type = HeaderNames.lastValue(headers, HeaderNames.CE_SUBJECT);
		String key = record.key();
		if (EventAccepted.CLOUD_EVENT_TYPE.equals(HeaderNames.lastValue(headers, HeaderNames.CE_TYPE)) && id != null
				&& time != null && type != null && key != null && key.indexOf(PartitionKeys.SEPARATOR) > 0) {
			try {
				return new AcceptedEvent(EventAccepted.SCHEMA_VERSION, PartitionKeys.tenantOf(key), id,
						Instant.parse(time), type, null, null, null)
					.on(record);
			}
			catch (DateTimeParseException ex) {
				// Not as ingestion writes it: the value decides.
			}
		}
		AcceptedEvent decoded = CODEC.decode(record.value());
		return (decoded != null) ? decoded.on(record) : null;
	}

	AcceptedEvent {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(acceptedAt, "acceptedAt");
		Objects.requireNonNull(type, "type");
	}

	/** An event on {@link Topics#EVENTS} keyed {@code tenant|eventId}. */
	AcceptedEvent(int schemaVersion, String tenant, String eventId, Instant acceptedAt, String type) {
		this(schemaVersion, tenant, eventId, acceptedAt, type, null, null, null);
	}

	/**
	 * This acceptance with the position of the record it was read from, and its log and
	 * key where they are not the default ones.
	 */
	private AcceptedEvent on(ConsumerRecord<String, byte[]> record) {
		String log = Topics.EVENTS.name().equals(record.topic()) ? null : record.topic();
		String key = (record.key() == null || record.key().equals(PartitionKeys.event(this.tenant, this.eventId)))
				? null : record.key();
		return new AcceptedEvent(this.schemaVersion, this.tenant, this.eventId, this.acceptedAt, this.type, log, key,
				record.partition() + ":" + record.offset());
	}

}
