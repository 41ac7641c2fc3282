package io.herald.ingestion.ingest;

import io.herald.events.EventAccepted;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.support.tracing.RecordTracing;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Writes accepted events to their log, {@code herald.events} or, for {@code critical}
 * ones, {@code herald.events.critical} ({@link Topics#eventLog}): keyed
 * {@code tenant|userId} for an event for one user, {@code tenant|eventId} otherwise
 * ({@link PartitionKeys#eventLog}), with CloudEvents headers (the status view reads an
 * event's acceptance from them alone), through the idempotent {@code acks=all} producer.
 * The returned future completes once every in-sync replica has the record. The record's
 * {@code traceparent} is the request's span: the event's trace goes on in routing without
 * a producer span and observation per record, which cost a seventh of the service's CPU
 * per event of a batch (docs/benchmarks.md).
 */
@Component
class EventPublisher {

	private static final Logger logger = LoggerFactory.getLogger(EventPublisher.class);

	/** The CloudEvents source of every record this service writes. */
	static final String CLOUD_EVENT_SOURCE = "/herald/ingestion";

	/**
	 * What a record takes beyond its key, value and the headers set here: the record
	 * batch's header (61 bytes) and the record's framing (at most 21 bytes), with room to
	 * spare.
	 */
	static final int RECORD_OVERHEAD_BYTES = 512;

	private final KafkaTemplate<String, byte[]> kafka;

	private final RecordTracing tracing;

	private final long maxRecordBytes;

	/**
	 * A publisher whose futures complete within the producer's
	 * {@code delivery.timeout.ms}, which the Kafka client guarantees for every record it
	 * accepted; that must be shorter than the publish timeout, so that no request needs a
	 * timer of its own (a timer per event cost a tenth of a batch's CPU,
	 * docs/benchmarks.md).
	 * @throws IllegalStateException if the producer may take longer than the publish
	 * timeout
	 */
	EventPublisher(KafkaTemplate<String, byte[]> kafka, RecordTracing tracing, IngestionProperties properties) {
		this.kafka = kafka;
		this.tracing = tracing;
		this.maxRecordBytes = producerSetting(kafka, ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
		long deliveryMillis = producerSetting(kafka, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
		if (deliveryMillis >= properties.publishTimeout().toMillis()) {
			throw new IllegalStateException("herald.ingestion.publish-timeout (" + properties.publishTimeout()
					+ ") must be longer than the producer's delivery.timeout.ms (" + deliveryMillis
					+ " ms): a request waits for the event log's answer, which the producer gives within that");
		}
	}

	private static long producerSetting(KafkaTemplate<String, byte[]> kafka, String name) {
		Object configured = kafka.getProducerFactory().getConfigurationProperties().get(name);
		Object value = (configured != null) ? configured : ProducerConfig.configDef().defaultValues().get(name);
		return Long.parseLong(String.valueOf(value));
	}

	/**
	 * Publishes an event. The future fails when the log cannot take it (broker down,
	 * timeout); a failure may also throw at once. An event whose record would exceed the
	 * producer's {@code max.request.size} is not sent: it fails with an
	 * {@link EventTooLargeException}.
	 */
	CompletableFuture<RecordMetadata> publish(EventAccepted event) {
		Topic<EventAccepted> log = Topics.eventLog(event.priority());
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(log.name(), PartitionKeys.eventLog(event),
				log.codec().encode(event));
		HeaderNames.addCloudEvent(record.headers(), event.eventId(), EventAccepted.CLOUD_EVENT_TYPE, CLOUD_EVENT_SOURCE,
				event.acceptedAt(), event.type());
		this.tracing.injectCurrent(record.headers(), "publish " + log.name());
		long recordBytes = recordBytes(record);
		if (recordBytes > this.maxRecordBytes) {
			return CompletableFuture.failedFuture(new EventTooLargeException(recordBytes, this.maxRecordBytes));
		}
		logger.debug("Publishing event {} of tenant {}", event.eventId(), event.tenant());
		return this.kafka.send(record).thenApply((result) -> result.getRecordMetadata());
	}

	/** The largest record the event log accepts from this producer, in bytes. */
	long maxRecordBytes() {
		return this.maxRecordBytes;
	}

	private static long recordBytes(ProducerRecord<String, byte[]> record) {
		long bytes = RECORD_OVERHEAD_BYTES + record.value().length
				+ record.key().getBytes(StandardCharsets.UTF_8).length;
		for (Header header : record.headers()) {
			bytes += header.key().length() + ((header.value() != null) ? header.value().length : 0) + 10;
		}
		return bytes;
	}

}
