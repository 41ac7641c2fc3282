package io.herald.ingestion.status;

import io.herald.events.EventAccepted;
import io.herald.events.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Reads one accepted event back from its log, by the position the status view recorded: a
 * cancellation carries the event's recipients, priority and channels, so that routing knows whom
 * to retract its in-app notifications from (docs/adr/029). One consumer without a group, assigned
 * to the partition it reads and never committing, shared by the rare cancellations one at a time.
 */
@Component
class EventLogReader implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(EventLogReader.class);

	private final ConsumerFactory<String, byte[]> consumers;

	private @Nullable Consumer<String, byte[]> consumer;

	EventLogReader(ConsumerFactory<String, byte[]> consumers) {
		this.consumers = consumers;
	}

	/**
	 * The event at a position of a log, or {@code null} when it is not there any more (the log's
	 * retention), is not that event, or cannot be read within {@code timeout}.
	 * @param position {@code <partition>:<offset>}
	 */
	synchronized @Nullable EventAccepted read(String log, String position, String eventId, Duration timeout) {
		int separator = position.indexOf(':');
		TopicPartition partition;
		long offset;
		try {
			partition = new TopicPartition(log, Integer.parseInt(position.substring(0, separator)));
			offset = Long.parseLong(position.substring(separator + 1));
		}
		catch (RuntimeException ex) {
			return null;
		}
		try {
			Consumer<String, byte[]> consumer = consumer();
			consumer.assign(List.of(partition));
			consumer.seek(partition, offset);
			long deadline = System.nanoTime() + timeout.toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100)).records(partition)) {
					if (record.offset() != offset) {
						return null;
					}
					EventAccepted event = Topics.EVENTS.codec().decode(record.value());
					return (event != null && event.eventId().equals(eventId)) ? event : null;
				}
			}
			logger.warn("Event {} not read from {} at {} within {}", eventId, log, position, timeout);
		}
		catch (KafkaException ex) {
			// An offset out of range (the record is gone), or a record that is no event: nothing to read.
			logger.info("Event {} not read from {} at {}: {}", eventId, log, position, ex.toString());
			close();
		}
		return null;
	}

	private Consumer<String, byte[]> consumer() {
		if (this.consumer == null) {
			Properties overrides = new Properties();
			overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
			overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
			overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
			overrides.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
			this.consumer = this.consumers.createConsumer(null, "herald-event-reader", null, overrides);
		}
		return this.consumer;
	}

	private synchronized void close() {
		if (this.consumer != null) {
			this.consumer.close(Duration.ZERO);
			this.consumer = null;
		}
	}

	@Override
	public void destroy() {
		close();
	}

}
