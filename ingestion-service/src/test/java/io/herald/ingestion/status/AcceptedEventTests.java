package io.herald.ingestion.status;

import io.herald.events.EventAccepted;
import io.herald.events.HeaderNames;
import io.herald.events.RecordDecodingException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The status view reads an event's acceptance from the record's key and CloudEvents
 * headers, as ingestion writes them, and decodes the value only when they do not say all
 * of it.
 */
class AcceptedEventTests {

	private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

	private static final byte[] EVENT = """
			{"schemaVersion": 1, "tenant": "acme", "eventId": "e-from-value", "acceptedAt": "2026-11-25T09:00:00Z",
			 "type": "order.shipped", "recipients": {"users": ["u-1"]}}""".getBytes(StandardCharsets.UTF_8);

	@Test
	void readsTheAcceptanceFromTheKeyAndHeadersWithoutTheValue() {
		ConsumerRecord<String, byte[]> record = record("acme|u-1", "not json".getBytes(StandardCharsets.UTF_8));
		HeaderNames.addCloudEvent(record.headers(), "e-1", EventAccepted.CLOUD_EVENT_TYPE, "/herald/ingestion", T,
				"order.shipped");

		assertThat(AcceptedEvent.of(record)).isEqualTo(new AcceptedEvent(EventAccepted.SCHEMA_VERSION, "acme", "e-1", T,
				"order.shipped", null, "acme|u-1", "0:0"));
	}

	@Test
	void remembersTheLogAndKeyOnlyWhereTheyAreNotTheDefaultOnes() {
		ConsumerRecord<String, byte[]> byEvent = record("acme|e-1", "not json".getBytes(StandardCharsets.UTF_8));
		HeaderNames.addCloudEvent(byEvent.headers(), "e-1", EventAccepted.CLOUD_EVENT_TYPE, "/herald/ingestion", T,
				"order.shipped");
		ConsumerRecord<String, byte[]> critical = new ConsumerRecord<>("herald.events.critical", 0, 0, "acme|e-1",
				"not json".getBytes(StandardCharsets.UTF_8));
		HeaderNames.addCloudEvent(critical.headers(), "e-1", EventAccepted.CLOUD_EVENT_TYPE, "/herald/ingestion", T,
				"order.shipped");

		assertThat(AcceptedEvent.of(byEvent)).extracting(AcceptedEvent::log, AcceptedEvent::key)
			.containsExactly(null, null);
		assertThat(AcceptedEvent.of(critical)).extracting(AcceptedEvent::log, AcceptedEvent::key)
			.containsExactly("herald.events.critical", null);
	}

	@Test
	void decodesTheValueOfARecordWithoutHeaders() {
		assertThat(AcceptedEvent.of(record("acme|u-1", EVENT)).eventId()).isEqualTo("e-from-value");
	}

	@Test
	void decodesTheValueWhenAHeaderIsMissingOrNotAsIngestionWritesIt() {
		ConsumerRecord<String, byte[]> noSubject = record("acme|u-1", EVENT);
		HeaderNames.addCloudEvent(noSubject.headers(), "e-1", EventAccepted.CLOUD_EVENT_TYPE, "/herald/ingestion", T,
				null);
		ConsumerRecord<String, byte[]> otherType = record("acme|u-1", EVENT);
		HeaderNames.addCloudEvent(otherType.headers(), "e-1", "io.herald.event.accepted.v99", "/herald/ingestion", T,
				"order.shipped");
		ConsumerRecord<String, byte[]> badTime = record("acme|u-1", EVENT);
		HeaderNames.addCloudEvent(badTime.headers(), "e-1", EventAccepted.CLOUD_EVENT_TYPE, "/herald/ingestion", T,
				"order.shipped");
		badTime.headers().add(HeaderNames.CE_TIME, "yesterday".getBytes(StandardCharsets.UTF_8));
		ConsumerRecord<String, byte[]> noTenant = record("u-1", EVENT);
		HeaderNames.addCloudEvent(noTenant.headers(), "e-1", EventAccepted.CLOUD_EVENT_TYPE, "/herald/ingestion", T,
				"order.shipped");

		for (ConsumerRecord<String, byte[]> record : List.of(noSubject, otherType, badTime, noTenant)) {
			assertThat(AcceptedEvent.of(record).eventId()).isEqualTo("e-from-value");
		}
	}

	@Test
	void aRecordWithNeitherIsNotDecodable() {
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> AcceptedEvent.of(record("acme|u-1", "not json".getBytes(StandardCharsets.UTF_8))));
	}

	private static ConsumerRecord<String, byte[]> record(String key, byte[] value) {
		return new ConsumerRecord<>("herald.events", 0, 0, key, value);
	}

}
