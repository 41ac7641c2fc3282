package io.herald.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.herald.events.Topics;
import io.herald.infra.KafkaBrokerProcess;
import io.herald.infra.KafkaClusterProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite's fast version on a Kafka cluster of three nodes, as production runs it: the
 * services' topics get three copies, two in sync, and killing one node with SIGKILL under load (a
 * node that is neither controller nor main leader, the active controller, the leader of the most
 * event-log partitions) loses, duplicates and reorders nothing, while ingestion goes on accepting.
 */
class KafkaClusterChaosIntegrationTests {

	private static Path data;

	private static LocalStack stack;

	@BeforeAll
	static void startStack() throws Exception {
		data = Files.createTempDirectory("herald-chaos-cluster-test-");
		stack = new LocalStack(ChaosCommand.settings(data, Chaos.Fault.CLUSTER_NODES),
				Path.of("..").toAbsolutePath().normalize());
		stack.environment("delivery", ChaosCommand.DELIVERY_ENVIRONMENT);
		stack.runKafkaInChildProcess();
		stack.start();
		new Chaos(stack, ChaosIntegrationTests.SETTINGS).warmUp();
	}

	@AfterAll
	static void stopStack() {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void theServicesTopicsKeepThreeCopiesTwoInSync() throws Exception {
		KafkaClusterProcess cluster = stack.kafkaCluster();
		assertThat(cluster).isNotNull();
		assertThat(cluster.nodes()).hasSize(3).allMatch(KafkaBrokerProcess::isRunning);
		try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()))) {
			List<String> topics = List.of(Topics.EVENTS.name(), Topics.CRITICAL_EVENTS.name());
			for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
				assertThat(topic.partitions()).allSatisfy((partition) -> assertThat(partition.replicas()).hasSize(3));
			}
			ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS.name());
			assertThat(admin.describeConfigs(List.of(events)).all().get().get(events).get("min.insync.replicas").value())
				.isEqualTo("2");
		}
	}

	/** The cluster faults, in the enum's order: a node, the active controller, the main leader. */
	@ParameterizedTest(name = "{0}: nothing lost, duplicated or out of order")
	@EnumSource(value = Chaos.Fault.class, names = { "KAFKA_BROKER", "KAFKA_CONTROLLER", "KAFKA_LEADER" })
	void killingOneKafkaNodeMidLoadLosesNothingDuplicatesNothingAndKeepsEachUsersOrder(Chaos.Fault fault)
			throws Exception {
		ChaosIntegrationTests.assertClean(stack, ChaosIntegrationTests.SETTINGS, fault);
	}

}
