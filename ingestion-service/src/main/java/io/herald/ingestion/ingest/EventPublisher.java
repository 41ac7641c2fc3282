package io.herald.ingestion.ingest;

import io.herald.events.EventAccepted;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;

/**
 * Writes accepted events to {@code herald.events}: keyed {@code tenant|eventId}, with CloudEvents
 * headers, through the idempotent {@code acks=all} producer. The returned future completes once
 * every in-sync replica has the record. The template's observation writes the record's
 * {@code traceparent}: a producer span, the child of the request's span.
 */
@Component
class EventPublisher {

	private static final Logger logger = LoggerFactory.getLogger(EventPublisher.class);

	/** The CloudEvents type of a record of {@code herald.events}. */
	static final String CLOUD_EVENT_TYPE = "io.herald.event.accepted.v" + EventAccepted.SCHEMA_VERSION;

	/** The CloudEvents source of every record this service writes. */
	static final String CLOUD_EVENT_SOURCE = "/herald/ingestion";

	private final KafkaTemplate<String, byte[]> kafka;

	EventPublisher(KafkaTemplate<String, byte[]> kafka) {
		this.kafka = kafka;
	}

	/**
	 * Publishes an event. The future fails when the log cannot take it (broker down, timeout);
	 * a failure may also throw at once.
	 */
	CompletableFuture<RecordMetadata> publish(EventAccepted event) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS.name(),
				PartitionKeys.event(event.tenant(), event.eventId()), Topics.EVENTS.codec().encode(event));
		HeaderNames.addCloudEvent(record.headers(), event.eventId(), CLOUD_EVENT_TYPE, CLOUD_EVENT_SOURCE,
				event.acceptedAt(), event.type());
		logger.debug("Publishing event {} of tenant {}", event.eventId(), event.tenant());
		return this.kafka.send(record).thenApply((result) -> result.getRecordMetadata());
	}

}
