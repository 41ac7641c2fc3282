package io.herald.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads what a topic holds now, from the beginning of every partition to its current end,
 * without a consumer group: for tests that count what a stage wrote. Reads committed
 * records only, as downstream stages do. And writes records in one transaction, for tests
 * that need a consumer to see them all at once, in one batch.
 */
public final class TopicContents {

	private TopicContents() {
	}

	/**
	 * Every committed record of a topic, keys as strings, values as bytes.
	 * @param bootstrapServers the broker
	 * @param topic the topic, which must exist
	 */
	public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
				partitions.add(new TopicPartition(topic, info.partition()));
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < end.get(partition))) {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
			return records;
		}
	}

	/**
	 * Writes records in one transaction, so that a consumer reading committed records
	 * sees all of them at once, in one batch (when they are on one partition).
	 * @param bootstrapServers the broker
	 * @param records the records, keys as strings, values as bytes
	 * @return where each record was written, in the order given
	 * @throws ExecutionException when a record could not be written
	 */
	@SafeVarargs
	public static List<RecordMetadata> writeTogether(String bootstrapServers, ProducerRecord<String, byte[]>... records)
			throws ExecutionException, InterruptedException {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
						ProducerConfig.TRANSACTIONAL_ID_CONFIG, "herald-test-" + UUID.randomUUID()),
				new StringSerializer(), new ByteArraySerializer())) {
			producer.initTransactions();
			producer.beginTransaction();
			List<Future<RecordMetadata>> sends = new ArrayList<>();
			for (ProducerRecord<String, byte[]> record : records) {
				sends.add(producer.send(record));
			}
			producer.commitTransaction();
			List<RecordMetadata> written = new ArrayList<>();
			for (Future<RecordMetadata> send : sends) {
				written.add(send.get());
			}
			return written;
		}
	}

}
