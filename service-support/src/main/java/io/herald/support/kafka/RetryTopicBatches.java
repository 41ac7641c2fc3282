package io.herald.support.kafka;

import io.herald.events.HeaderNames;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Batches read from retry topics, whose records wait until the time in their
 * {@link HeaderNames#NOT_BEFORE} header. A record that is not due yet stops its partition
 * there: the consumer is rewound to it and the partition paused until it is due, while
 * other partitions go on. Records of one retry topic were written in the order they
 * became due, so a partition's head is always its next due record. For consumers with
 * manual acknowledgement that commit what they handled ({@link #commit}).
 */
public final class RetryTopicBatches implements AutoCloseable {

	private final Clock clock;

	private final ScheduledExecutorService resumer;

	/**
	 * @param clock what "due" is measured by
	 * @param name the name of the thread that resumes held partitions
	 */
	public RetryTopicBatches(Clock clock, String name) {
		this.clock = clock;
		this.resumer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon().factory());
	}

	/**
	 * The records of a batch that are due, in order; every partition whose next record is
	 * not due is rewound to it and paused in the container until it is.
	 */
	public <K, V> List<ConsumerRecord<K, V>> due(List<ConsumerRecord<K, V>> records, Consumer<?, ?> consumer,
			MessageListenerContainer container) {
		List<ConsumerRecord<K, V>> due = new ArrayList<>(records.size());
		Set<TopicPartition> held = new HashSet<>();
		long now = this.clock.millis();
		for (ConsumerRecord<K, V> record : records) {
			TopicPartition partition = new TopicPartition(record.topic(), record.partition());
			if (held.contains(partition)) {
				continue;
			}
			long notBefore = notBefore(record);
			if (notBefore > now) {
				held.add(partition);
				consumer.seek(partition, record.offset());
				container.pausePartition(partition);
				this.resumer.schedule(() -> container.resumePartition(partition), notBefore - now,
						TimeUnit.MILLISECONDS);
				continue;
			}
			due.add(record);
		}
		return due;
	}

	/** Commits the offsets after the given records, which the caller handled. */
	public static void commit(List<? extends ConsumerRecord<?, ?>> handled, Consumer<?, ?> consumer) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
		for (ConsumerRecord<?, ?> record : handled) {
			offsets.put(new TopicPartition(record.topic(), record.partition()),
					new OffsetAndMetadata(record.offset() + 1));
		}
		consumer.commitSync(offsets);
	}

	/**
	 * When the record is due, in epoch milliseconds; {@code 0} (at once) without a
	 * readable header.
	 */
	static long notBefore(ConsumerRecord<?, ?> record) {
		String value = HeaderNames.lastValue(record.headers(), HeaderNames.NOT_BEFORE);
		try {
			return (value != null) ? Long.parseLong(value) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/** Stops resuming held partitions (their containers are stopping). */
	@Override
	public void close() {
		this.resumer.shutdownNow();
	}

}
