package io.herald.events;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A record of an event log ({@link Topics#EVENTS}, {@link Topics#CRITICAL_EVENTS}): an
 * accepted event, or the cancellation of one. The two are told apart by the record's
 * CloudEvents type ({@code ce_type}); a record without one is an event, as every record
 * written before cancellations existed.
 */
public sealed interface EventLogRecord extends Versioned permits EventLogRecord.Accepted, EventLogRecord.Cancelled {

	/**
	 * A serde of event log records for a reader of both kinds: deserialization reads the
	 * record's headers (Kafka Streams and the Kafka consumer pass them); serialization
	 * writes the value only, so the writer sets the CloudEvents type.
	 * @param events the event log's codec of accepted events
	 */
	static Serde<EventLogRecord> serde(JsonCodec<EventAccepted> events) {
		Serializer<EventLogRecord> serializer = (topic, record) -> switch (record) {
			case null -> null;
			case Accepted accepted -> events.encode(accepted.event());
			case Cancelled cancelled -> EventCancelled.CODEC.encode(cancelled.cancellation());
		};
		Deserializer<EventLogRecord> deserializer = new Deserializer<>() {

			@Override
			public @Nullable EventLogRecord deserialize(String topic, byte @Nullable [] data) {
				EventAccepted event = events.decode(data);
				return (event != null) ? new Accepted(event) : null;
			}

			@Override
			public @Nullable EventLogRecord deserialize(String topic, Headers headers, byte @Nullable [] data) {
				if (!EventCancelled.isCancellation(headers)) {
					return deserialize(topic, data);
				}
				EventCancelled cancellation = EventCancelled.CODEC.decode(data);
				return (cancellation != null) ? new Cancelled(cancellation) : null;
			}

		};
		return Serdes.serdeFrom(serializer, deserializer);
	}

	/** The tenant of the event. */
	String tenant();

	/** The event. */
	String eventId();

	/** An accepted event. */
	record Accepted(EventAccepted event) implements EventLogRecord {

		@Override
		public int schemaVersion() {
			return this.event.schemaVersion();
		}

		@Override
		public String tenant() {
			return this.event.tenant();
		}

		@Override
		public String eventId() {
			return this.event.eventId();
		}

	}

	/** The cancellation of an event. */
	record Cancelled(EventCancelled cancellation) implements EventLogRecord {

		@Override
		public int schemaVersion() {
			return this.cancellation.schemaVersion();
		}

		@Override
		public String tenant() {
			return this.cancellation.tenant();
		}

		@Override
		public String eventId() {
			return this.cancellation.eventId();
		}

	}

}
