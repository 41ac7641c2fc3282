package io.herald.delivery.dispatch;

import io.herald.events.Channel;
import io.herald.events.HeaderNames;
import io.herald.events.Topics;
import io.herald.support.tracing.RecordTracing;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Moves dead letters back into their lane, as first tries (the ledger still keeps every
 * send that went out, so a replay sends only what did not). Replays of one lane remember
 * where they stopped in the consumer group {@code herald-delivery-replay}: each dead
 * letter is replayed once, and records are committed only after the lane has them.
 */
@Component
class DeadLetterReplayer {

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterReplayer.class);

	/** Records replayed by one call unless told otherwise. */
	static final int DEFAULT_MAX = 1_000;

	/**
	 * The most records one call replays: a bound on the time an operator's request takes.
	 */
	static final int MAX = 100_000;

	private final ConsumerFactory<String, byte[]> consumers;

	private final OutputWriter writer;

	private final RecordTracing tracing;

	private final Set<String> lanes = new HashSet<>();

	DeadLetterReplayer(ConsumerFactory<String, byte[]> consumers, OutputWriter writer, RecordTracing tracing) {
		this.consumers = consumers;
		this.writer = writer;
		this.tracing = tracing;
		for (Channel channel : List.of(Channel.PUSH, Channel.EMAIL, Channel.SMS)) {
			Topics.deliveryLanes(channel).forEach((lane) -> this.lanes.add(lane.name()));
		}
	}

	boolean isLane(String lane) {
		return this.lanes.contains(lane);
	}

	/**
	 * Replays at most {@code max} dead letters of a lane, oldest first; returns how many.
	 */
	synchronized int replay(String lane, int max) {
		String deadLetters = Topics.deadLetter(lane);
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.min(max, 500)));
		try (Consumer<String, byte[]> consumer = this.consumers.createConsumer("herald-delivery-replay",
				"herald-delivery-replay", null, overrides)) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (PartitionInfo info : consumer.partitionsFor(deadLetters, Duration.ofSeconds(10))) {
				partitions.add(new TopicPartition(deadLetters, info.partition()));
			}
			consumer.assign(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			int replayed = 0;
			while (replayed < max && partitions.stream().anyMatch((p) -> consumer.position(p) < end.get(p))) {
				Outputs outputs = new Outputs(this.tracing);
				Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					TopicPartition partition = new TopicPartition(record.topic(), record.partition());
					if (replayed >= max || record.offset() >= end.get(partition)) {
						consumer.seek(partition, record.offset());
						continue;
					}
					// The replay continues the dead letter's trace: its next try is a
					// child of the last.
					RecordHeaders headers = new RecordHeaders();
					var traceparent = record.headers().lastHeader(HeaderNames.TRACEPARENT);
					if (traceparent != null) {
						headers.add(traceparent);
					}
					outputs.records().add(new ProducerRecord<>(lane, null, record.key(), record.value(), headers));
					offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
					replayed++;
				}
				this.writer.write(outputs);
				if (!offsets.isEmpty()) {
					consumer.commitSync(offsets);
				}
			}
			logger.info("Replayed {} dead letters of {} by an operator's request", replayed, lane);
			return replayed;
		}
	}

}
