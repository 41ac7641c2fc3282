package io.herald.ingestion.status;

import io.herald.events.DeliveryState;
import io.herald.events.EventCancelled;
import io.herald.events.RecordDecodingException;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.support.kafka.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds the status view from the event logs: {@code herald.events} and
 * {@code herald.events.critical} say an event was accepted, {@code herald.status} carries
 * every later stage's decisions. The cancellations on the event logs are skipped: the
 * cancellation API records them in the view ({@link EventCancellations}). A batch is
 * committed only after Redis has it, and at most once a second (at-least-once; every
 * update is idempotent, so what a crash reads again changes nothing). Of several updates
 * to one delivery in a batch only the latest is written ({@link SupersededUpdates}). A
 * record that cannot be decoded goes to its topic's dead-letter topic with the reason,
 * and the partition moves on.
 */
@Component
class StatusViewListener {

	private static final Logger logger = LoggerFactory.getLogger(StatusViewListener.class);

	private final StatusStore store;

	private final DeadLetters deadLetters;

	private final MeterRegistry meters;

	StatusViewListener(StatusStore store, DeadLetters deadLetters, MeterRegistry meters) {
		this.store = store;
		this.deadLetters = deadLetters;
		this.meters = meters;
	}

	@KafkaListener(id = "herald-status-view",
			topics = { Topics.Names.EVENTS, Topics.Names.CRITICAL_EVENTS, Topics.Names.STATUS }, batch = "true",
			concurrency = "${herald.ingestion.status.consumers:2}")
	void onRecords(List<ConsumerRecord<String, byte[]>> records) {
		List<Object> updates = new ArrayList<>(records.size());
		List<String> topics = new ArrayList<>(records.size());
		for (ConsumerRecord<String, byte[]> record : records) {
			try {
				Object update = decode(record);
				// A count stays one update: the view records it as a count
				// (docs/adr/037).
				if (update instanceof StatusReported status && status.manyUsers() && !status.isCount()) {
					for (StatusReported one : status.perUser()) {
						updates.add(one);
						topics.add(record.topic());
					}
				}
				else if (update != null) {
					updates.add(update);
					topics.add(record.topic());
				}
			}
			catch (RecordDecodingException ex) {
				logger.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
						ex.getMessage());
				this.deadLetters.send(record, ex);
				count(record.topic(), "dead_lettered");
			}
		}
		BitSet superseded = SupersededUpdates.in(updates);
		List<Object> latest = new ArrayList<>(updates.size() - superseded.cardinality());
		for (int i = 0; i < updates.size(); i++) {
			if (!superseded.get(i)) {
				latest.add(updates.get(i));
			}
		}
		this.store.apply(latest);
		Map<String, Integer> applied = new HashMap<>();
		Map<String, Integer> supersededPerTopic = new HashMap<>();
		for (int i = 0; i < updates.size(); i++) {
			(superseded.get(i) ? supersededPerTopic : applied).merge(topics.get(i), 1, Integer::sum);
		}
		applied.forEach((topic, count) -> count(topic, "applied", count));
		supersededPerTopic.forEach((topic, count) -> count(topic, "superseded", count));
	}

	private static @Nullable Object decode(ConsumerRecord<String, byte[]> record) {
		if (Topics.STATUS.name().equals(record.topic())) {
			StatusReported status = Topics.STATUS.codec().decode(record.value());
			// A read mark is for webhooks: the status API's states stop at acknowledged
			// (API.md).
			return (status != null && status.state() == DeliveryState.READ) ? null : status;
		}
		if (EventCancelled.isCancellation(record.headers())) {
			// The cancellation API records it in the view itself; what it stops, routing
			// reports.
			return null;
		}
		return AcceptedEvent.of(record);
	}

	private void count(String topic, String outcome) {
		count(topic, outcome, 1);
	}

	private void count(String topic, String outcome, int records) {
		this.meters.counter("herald.status.records", "topic", topic, "outcome", outcome).increment(records);
	}

}
