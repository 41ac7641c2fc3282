package io.herald.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.herald.events.Topics;
import io.herald.infra.KafkaBrokerProcess;
import io.herald.infra.KafkaClusterProcess;
import io.herald.localstack.LocalStack;
import io.herald.localstack.LocalStackSettings;
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
 * The chaos suite's fast version on a replicated stack, as production runs it: a Kafka
 * cluster of three nodes (the services' topics get three copies, two in sync) and a Redis
 * primary with a replica behind one endpoint, the services waiting for the replica
 * (docs/adr/021). Killing one Kafka node with SIGKILL under load (a node that is neither
 * controller nor main leader, the active controller, the leader of the most event-log
 * partitions), and failing Redis over to a replica that is behind, loses, duplicates and
 * reorders nothing.
 */
class ReplicatedChaosIntegrationTests {

	private static Path data;

	private static LocalStack stack;

	@BeforeAll
	static void startStack() throws Exception {
		data = Files.createTempDirectory("herald-chaos-replicated-test-");
		LocalStackSettings settings = ChaosCommand.settings(data, Chaos.Fault.CLUSTER_NODES);
		stack = TestStacks.withTestPartitions(ChaosCommand.stack(settings, TestStacks.HOME, true), settings);
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
			assertThat(
					admin.describeConfigs(List.of(events)).all().get().get(events).get("min.insync.replicas").value())
				.isEqualTo("2");
		}
	}

	/**
	 * The replicated stack's faults, in the enum's order: a Kafka node, the active
	 * controller, the main leader, then the Redis failover.
	 */
	@ParameterizedTest(name = "{0}: nothing lost, duplicated or out of order")
	@EnumSource(value = Chaos.Fault.class,
			names = { "KAFKA_BROKER", "KAFKA_CONTROLLER", "KAFKA_LEADER", "REDIS_FAILOVER" })
	void breakingAReplicatedPartMidLoadLosesNothingDuplicatesNothingAndKeepsEachUsersOrder(Chaos.Fault fault)
			throws Exception {
		ChaosIntegrationTests.assertClean(stack, ChaosIntegrationTests.SETTINGS, fault);
	}

}
