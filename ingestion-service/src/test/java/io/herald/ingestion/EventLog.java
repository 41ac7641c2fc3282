package io.herald.ingestion;

import io.herald.events.EventCancelled;
import io.herald.events.Topics;
import io.herald.infra.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * Reads topics from the beginning, as a downstream stage would, without a consumer group.
 */
public final class EventLog {

	private EventLog() {
	}

	/** Every event (not a cancellation) of {@code herald.events} now in the log. */
	public static List<ConsumerRecord<String, byte[]>> events(String bootstrapServers) {
		// The log also carries cancellations (DELETE /v1/events/{id}), which are not
		// events.
		return readAll(bootstrapServers, Topics.EVENTS.name()).stream()
			.filter((record) -> !EventCancelled.isCancellation(record.headers()))
			.toList();
	}

	/** Every record of a topic now in the log. */
	public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
		return TopicContents.readAll(bootstrapServers, topic);
	}

}
