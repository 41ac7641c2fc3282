package io.herald.gateway.inbox;

import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.support.kafka.DurableWrites;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Span;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes status records to {@code herald.status} and waits until the broker has every
 * one. Each record carries the trace context of the span it comes from: a batch mixes
 * many traces, so the template does not write the context of the thread.
 */
@Component
class StatusReporter {

	private final KafkaTemplate<String, byte[]> kafka;

	private final InboxProperties properties;

	private final RecordTracing tracing;

	StatusReporter(KafkaTemplate<String, byte[]> kafka, InboxProperties properties, RecordTracing tracing) {
		this.kafka = kafka;
		this.properties = properties;
		this.tracing = tracing;
	}

	/**
	 * Sends status records, keyed by event, and waits for the broker's acknowledgement
	 * (acks=all) of all of them, at most {@link InboxProperties#statusTimeout()}.
	 * @throws IllegalStateException when they are not all acknowledged in time
	 */
	void report(List<Traced> statuses) {
		List<ProducerRecord<String, byte[]>> records = new ArrayList<>(statuses.size());
		for (Traced traced : statuses) {
			StatusReported status = traced.status();
			records.add(new ProducerRecord<>(Topics.STATUS.name(), null,
					PartitionKeys.event(status.tenant(), status.eventId()), Topics.STATUS.codec().encode(status),
					this.tracing.headers(traced.cause())));
		}
		DurableWrites.write(this.kafka, records, this.properties.statusTimeout());
	}

	/**
	 * A status and the span of the work that led to it.
	 *
	 * @param status the status
	 * @param cause the span whose context the record carries
	 */
	record Traced(StatusReported status, Span cause) {
	}

}
