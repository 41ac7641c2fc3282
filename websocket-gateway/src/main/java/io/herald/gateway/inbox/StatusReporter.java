package io.herald.gateway.inbox;

import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
		if (statuses.isEmpty()) {
			return;
		}
		List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(statuses.size());
		for (StatusReported status : statuses) {
			sends.add(this.kafka.send(new ProducerRecord<>(Topics.STATUS.name(),
					PartitionKeys.event(status.tenant(), status.eventId()), Topics.STATUS.codec().encode(status))));
		}
		try {
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
				.get(this.properties.statusTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while reporting statuses", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("status records were not acknowledged in time", ex);
		}
	}

}
