package io.herald.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class KafkaBrokerProcessIntegrationTests {

	private static final String TOPIC = "survivors";

	private static final int RECORDS = 500;

	@Test
	void killedBrokerComesBackOnTheSamePortWithEveryAcknowledgedRecord(@TempDir Path data) throws Exception {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder()
			.logDirectory(data.resolve("kafka"))
			.outputFile(data.resolve("kafka-broker.log"))
			.build()
			.start()) {
			long pid = kafka.pid();
			assertThat(pid).isPositive().isNotEqualTo(ProcessHandle.current().pid());
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
				admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
			}
			try (KafkaProducer<String, String> producer = producer(kafka)) {
				List<Future<RecordMetadata>> sent = new ArrayList<>();
				for (int i = 0; i < RECORDS; i++) {
					sent.add(producer.send(new ProducerRecord<>(TOPIC, "k", "record-" + i)));
				}
				for (Future<RecordMetadata> acknowledged : sent) {
					acknowledged.get(30, TimeUnit.SECONDS);
				}
			}

			assertThat(kafka.kill()).isEqualTo(pid);
			assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid %d after SIGKILL", pid).isEmpty();
			assertThat(kafka.isRunning()).isFalse();
			kafka.start();

			assertThat(kafka.pid()).isPositive().isNotEqualTo(pid);
			List<String> values = readAll(kafka);
			assertThat(values).hasSize(RECORDS).startsWith("record-0").endsWith("record-" + (RECORDS - 1));
		}
		assertThat(data.resolve("kafka-broker.log")).content().contains("Kafka broker ready on");
	}

	@Test
	void killingABrokerThatDoesNotRunFailsClearly() {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder().build()) {
			assertThatIllegalStateException().isThrownBy(kafka::kill).withMessageContaining("is not running");
		}
	}

	private static KafkaProducer<String, String> producer(KafkaBrokerProcess kafka) {
		return new KafkaProducer<>(
				Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all", "enable.idempotence", true),
				new StringSerializer(), new StringSerializer());
	}

	private static List<String> readAll(KafkaBrokerProcess kafka) {
		List<String> values = new ArrayList<>();
		TopicPartition partition = new TopicPartition(TOPIC, 0);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringDeserializer(),
				new StringDeserializer())) {
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					values.add(record.value());
				}
				return values.size() >= RECORDS;
			});
		}
		return values;
	}

}
