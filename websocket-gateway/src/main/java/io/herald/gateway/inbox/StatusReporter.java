package io.herald.gateway.inbox;

import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.support.kafka.DurableWrites;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/** Writes status records to {@code herald.status} and waits until the broker has every one. */
@Component
class StatusReporter {

	private final KafkaTemplate<String, byte[]> kafka;

	private final InboxProperties properties;

	StatusReporter(KafkaTemplate<String, byte[]> kafka, InboxProperties properties) {
		this.kafka = kafka;
		this.properties = properties;
	}

	/**
	 * Sends status records, keyed by event, and waits for the broker's acknowledgement (acks=all)
	 * of all of them, at most {@link InboxProperties#statusTimeout()}.
	 * @throws IllegalStateException when they are not all acknowledged in time
	 */
	void report(List<StatusReported> statuses) {
		List<ProducerRecord<String, byte[]>> records = new ArrayList<>(statuses.size());
		for (StatusReported status : statuses) {
			records.add(new ProducerRecord<>(Topics.STATUS.name(), PartitionKeys.event(status.tenant(), status.eventId()),
					Topics.STATUS.codec().encode(status)));
		}
		DurableWrites.write(this.kafka, records, this.properties.statusTimeout());
	}

}
