package io.herald.infra;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
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
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class KafkaBrokerIntegrationTests {

	private static final String TOPIC = "greetings";

	@Test
	void producesAndConsumesARecordWithAcksAll() throws Exception {
		try (KafkaBroker kafka = KafkaBroker.builder().build().start()) {
			assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
			createTopic(kafka);
			try (KafkaProducer<String, String> producer = producer(kafka, Duration.ofSeconds(30))) {
				RecordMetadata sent = producer.send(new ProducerRecord<>(TOPIC, "k", "hello"))
					.get(30, TimeUnit.SECONDS);
				assertThat(sent.offset()).isZero();
			}
			assertThat(readAll(kafka, 1)).containsExactly("hello");
		}
	}

	@Test
	void producerFailsWhileTheBrokerIsDownAndTheRestartedBrokerKeepsEarlierRecords() throws Exception {
		try (KafkaBroker kafka = KafkaBroker.builder().build().start()) {
			createTopic(kafka);
			try (KafkaProducer<String, String> producer = producer(kafka, Duration.ofSeconds(3))) {
				producer.send(new ProducerRecord<>(TOPIC, "k", "before")).get(30, TimeUnit.SECONDS);

				kafka.stop();
				assertThat(kafka.isRunning()).isFalse();
				long stoppedAt = System.nanoTime();
				Future<RecordMetadata> during = producer.send(new ProducerRecord<>(TOPIC, "k", "during"));
				assertThatThrownBy(() -> during.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
					.hasCauseInstanceOf(TimeoutException.class);
				assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(15));

				kafka.start();
				assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
				await().atMost(Duration.ofSeconds(30))
					.ignoreExceptions()
					.until(() -> producer.send(new ProducerRecord<>(TOPIC, "k", "after"))
						.get(10, TimeUnit.SECONDS) != null);
			}
			assertThat(readAll(kafka, 2)).containsExactly("before", "after");
		}
	}

	@Test
	void brokerOnAPersistentDirectoryKeepsRecordsForTheNextInstance(@TempDir Path data) throws Exception {
		int port = FreePorts.find();
		try (KafkaBroker first = KafkaBroker.builder().port(port).logDirectory(data).build().start()) {
			createTopic(first);
			try (KafkaProducer<String, String> producer = producer(first, Duration.ofSeconds(30))) {
				producer.send(new ProducerRecord<>(TOPIC, "k", "kept")).get(30, TimeUnit.SECONDS);
			}
		}
		// A new instance, as after a restart of the local stack: same data, new
		// controller port.
		try (KafkaBroker second = KafkaBroker.builder().port(port).logDirectory(data).build().start()) {
			assertThat(readAll(second, 1)).containsExactly("kept");
		}
		assertThat(data).isDirectoryContaining("glob:**/meta.properties");
	}

	@Test
	void doesNotCreateTopicsImplicitly() throws Exception {
		try (KafkaBroker kafka = KafkaBroker.builder().build().start();
				KafkaProducer<String, String> producer = producer(kafka, Duration.ofSeconds(2))) {
			assertThatThrownBy(
					() -> producer.send(new ProducerRecord<>("undeclared", "k", "v")).get(30, TimeUnit.SECONDS))
				.hasCauseInstanceOf(TimeoutException.class);
			try (Admin admin = admin(kafka)) {
				assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("undeclared");
			}
		}
	}

	@Test
	void newTopicsGetTheDefaultPartitionCount() throws Exception {
		try (KafkaBroker kafka = KafkaBroker.builder().build().start(); Admin admin = admin(kafka)) {
			admin
				.createTopics(List.of(new NewTopic("defaults", java.util.Optional.empty(), java.util.Optional.empty())))
				.all()
				.get(30, TimeUnit.SECONDS);
			assertThat(admin.describeTopics(List.of("defaults"))
				.allTopicNames()
				.get(30, TimeUnit.SECONDS)
				.get("defaults")
				.partitions()).hasSize(KafkaBroker.DEFAULT_PARTITIONS);
		}
	}

	@Test
	void takenPortFailsTheStartWithTheAddress() throws Exception {
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress("127.0.0.1", 0));
			try (KafkaBroker kafka = KafkaBroker.builder().port(taken.getLocalPort()).build()) {
				assertThatThrownBy(kafka::start).isInstanceOf(IllegalStateException.class)
					.hasMessageStartingWith("Kafka broker could not start on 127.0.0.1:" + taken.getLocalPort());
				assertThat(kafka.isRunning()).isFalse();
			}
		}
	}

	@Test
	void closedBrokerCannotBeStartedAgain() {
		KafkaBroker kafka = KafkaBroker.builder().build();
		kafka.close();
		assertThatThrownBy(kafka::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
	}

	private static void createTopic(KafkaBroker kafka) throws Exception {
		try (Admin admin = admin(kafka)) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
	}

	private static Admin admin(KafkaBroker kafka) {
		return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
	}

	private static KafkaProducer<String, String> producer(KafkaBroker kafka, Duration deliveryTimeout) {
		int deliveryMillis = Math.toIntExact(deliveryTimeout.toMillis());
		return new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all", "linger.ms", 0,
				"request.timeout.ms", Math.min(deliveryMillis, 1000), "delivery.timeout.ms", deliveryMillis,
				"max.block.ms", deliveryMillis), new StringSerializer(), new StringSerializer());
	}

	private static List<String> readAll(KafkaBroker kafka, int expected) {
		List<String> values = new ArrayList<>();
		TopicPartition partition = new TopicPartition(TOPIC, 0);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", kafka.bootstrapServers(), "isolation.level", "read_committed"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					values.add(record.value());
				}
				return values.size() >= expected;
			});
		}
		return values;
	}

}
