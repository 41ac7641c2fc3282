package io.herald.ingestion.status;

import io.herald.events.EventAccepted;
import io.herald.events.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads one accepted event back from its log, by the position the status view recorded: a
 * cancellation carries the event's recipients, priority and channels, so that routing
 * knows whom to retract its in-app notifications from (docs/adr/029). One consumer
 * without a group, assigned to the partition it reads and never committing, shared by the
 * rare cancellations one at a time: a Kafka consumer is not safe for use by several
 * threads, so a lock guards it, and a request that cannot have it within its timeout
 * gives up as when the log cannot be read.
 *
 * <p>
 * An event that is not at its position any more (the log's retention) is {@code null}: it
 * is cancelled without recipients. A log that cannot be read within the timeout (the
 * broker is down or slow) is an {@link EventLogUnavailableException}, never taken for an
 * event that is gone: a cancellation written then would retract nothing.
 */
@Component
class EventLogReader implements DisposableBean {

	/** How long one poll waits for the record; polls repeat until the read's deadline. */
	private static final Duration POLL = Duration.ofMillis(100);

	private static final Logger logger = LoggerFactory.getLogger(EventLogReader.class);

	private final ConsumerFactory<String, byte[]> consumers;

	private final ReentrantLock lock = new ReentrantLock();

	/** Guarded by {@link #lock}. */
	private @Nullable Consumer<String, byte[]> consumer;

	EventLogReader(ConsumerFactory<String, byte[]> consumers) {
		this.consumers = consumers;
	}

	/**
	 * The event at a position of a log, or {@code null} when it is not there any more
	 * (the log's retention) or is not that event.
	 * @param position {@code <partition>:<offset>}
	 * @param timeout how long the read may take in all, waiting for another read included
	 * @throws EventLogUnavailableException when the log cannot be read within
	 * {@code timeout}
	 */
	@Nullable EventAccepted read(String log, String position, String eventId, Duration timeout) {
		TopicPartition partition;
		long offset;
		try {
			int separator = position.indexOf(':');
			partition = new TopicPartition(log, Integer.parseInt(position.substring(0, separator)));
			offset = Long.parseLong(position.substring(separator + 1));
		}
		catch (RuntimeException ex) {
			return null;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			if (!this.lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				throw new EventLogUnavailableException("another read of the event log took the whole " + timeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EventLogUnavailableException("interrupted while waiting to read the event log");
		}
		try {
			return readLocked(partition, offset, eventId, deadline);
		}
		finally {
			this.lock.unlock();
		}
	}

	private @Nullable EventAccepted readLocked(TopicPartition partition, long offset, String eventId, long deadline) {
		try {
			Consumer<String, byte[]> consumer = consumer();
			consumer.assign(List.of(partition));
			consumer.seek(partition, offset);
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL).records(partition)) {
					if (record.offset() != offset) {
						return null;
					}
					EventAccepted event = Topics.EVENTS.codec().decode(record.value());
					return (event != null && event.eventId().equals(eventId)) ? event : null;
				}
			}
		}
		catch (InvalidOffsetException ex) {
			// The offset is out of the log's range: the record is gone.
			logger.info("Event {} not read from {} at {}: {}", eventId, partition, offset, ex.toString());
			return null;
		}
		catch (SerializationException ex) {
			// A record that is no event (or no longer the event): nothing of it to carry.
			logger.info("Event {} not read from {} at {}: {}", eventId, partition, offset, ex.toString());
			return null;
		}
		catch (KafkaException ex) {
			logger.warn("Event {} not read from {} at {}: {}", eventId, partition, offset, ex.toString());
			closeLocked();
			throw new EventLogUnavailableException("the event log could not be read: " + ex.getMessage());
		}
		logger.warn("Event {} not read from {} at {} in time", eventId, partition, offset);
		throw new EventLogUnavailableException("the event log did not answer in time");
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

	private void closeLocked() {
		if (this.consumer != null) {
			this.consumer.close(Duration.ZERO);
			this.consumer = null;
		}
	}

	@Override
	public void destroy() {
		this.lock.lock();
		try {
			closeLocked();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The event log could not be read in time: the broker is down, slow, or refuses the
	 * read.
	 */
	static final class EventLogUnavailableException extends RuntimeException {

		EventLogUnavailableException(String message) {
			super(message);
		}

	}

}
