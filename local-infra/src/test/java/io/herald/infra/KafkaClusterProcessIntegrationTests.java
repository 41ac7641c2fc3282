package io.herald.infra;

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
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three real KRaft nodes in JVMs of their own: a topic gets three copies, and killing a
 * partition's leader or the active controller with SIGKILL, mid-write, loses no
 * acknowledged record while writes go on.
 */
class KafkaClusterProcessIntegrationTests {

	private static final String TOPIC = "replicated";

	@TempDir
	static Path data;

	private static KafkaClusterProcess cluster;

	@BeforeAll
	static void startCluster() throws Exception {
		cluster = KafkaClusterProcess.builder()
			.dataDirectory(data.resolve("kafka"))
			.outputDirectory(data)
			.build()
			.start();
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3))).all().get(60, TimeUnit.SECONDS);
		}
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void everyNodeRunsAndTopicsGetThreeCopiesTwoInSync() throws Exception {
		assertThat(cluster.nodes()).extracting(KafkaBrokerProcess::nodeId).containsExactly(1, 2, 3);
		assertThat(cluster.nodes()).allMatch(KafkaBrokerProcess::isRunning);
		assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
		try (Admin admin = admin()) {
			TopicDescription topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
			assertThat(topic.partitions()).allSatisfy((partition) -> assertThat(partition.replicas()).hasSize(3));
			ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
			assertThat(
					admin.describeConfigs(List.of(broker)).all().get().get(broker).get("min.insync.replicas").value())
				.isEqualTo("2");
		}
	}

	@Test
	void killingAPartitionsLeaderMidWriteLosesNoAcknowledgedRecord() throws Exception {
		int leader = cluster.mostLeadingNode(TOPIC);
		assertKillingLosesNothing(leader, "leader");
	}

	@Test
	void killingTheActiveControllerMidWriteLosesNoAcknowledgedRecordAndAnotherTakesOver() throws Exception {
		int controller = cluster.activeController();
		assertKillingLosesNothing(controller, "controller");
		assertThat(cluster.activeController()).isIn(1, 2, 3);
	}

	private static void assertKillingLosesNothing(int nodeId, String run) throws Exception {
		KafkaBrokerProcess node = cluster.node(nodeId);
		List<String> acknowledged = new ArrayList<>();
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
				cluster.bootstrapServers(), "acks", "all", "enable.idempotence", true, "delivery.timeout.ms", 120_000),
				new StringSerializer(), new StringSerializer())) {
			List<Future<RecordMetadata>> sent = new ArrayList<>();
			List<String> values = new ArrayList<>();
			for (int i = 0; i < 600; i++) {
				if (i == 300) {
					long pid = node.pid();
					assertThat(node.kill()).isEqualTo(pid);
					assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
				}
				String value = run + "-" + i;
				values.add(value);
				sent.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + (i % 7), value)));
				if (i % 50 == 49) {
					producer.flush();
				}
			}
			for (int i = 0; i < sent.size(); i++) {
				try {
					sent.get(i).get(120, TimeUnit.SECONDS);
					acknowledged.add(values.get(i));
				}
				catch (ExecutionException ex) {
					// Not acknowledged: not promised.
				}
			}
		}
		finally {
			node.start();
		}
		assertThat(acknowledged).as("writes went on with one node of three dead").hasSize(600);
		List<String> read = readAll(run);
		assertThat(read).containsExactlyInAnyOrderElementsOf(acknowledged);
	}

	private static List<String> readAll(String run) {
		List<String> values = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", cluster.bootstrapServers()), new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
					new TopicPartition(TOPIC, 2));
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(60));
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.value().startsWith(run + "-")) {
						values.add(record.value());
					}
				}
				return partitions.stream().allMatch((partition) -> consumer.position(partition) >= ends.get(partition));
			});
		}
		return values;
	}

	private static Admin admin() {
		return Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
	}

}
