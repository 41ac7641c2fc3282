package io.herald.support.kafka;

import io.herald.infra.SharedInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code herald.kafka.instance-id} against a real broker: a listener container's
 * consumers join as static members, one id per consumer; they stay members when the
 * container stops, as after a crash; and a container started again under the same name
 * takes their places and their partitions, without any other member joining.
 */
class StaticGroupMembershipIntegrationTests {

	private static final int PARTITIONS = 4;

	/** Longer than the test: only a static member's return ends the stopped ones. */
	private static final String SESSION_TIMEOUT_MS = "120000";

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final String bootstrap = SharedInfra.kafka().bootstrapServers();

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaSupportAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=" + this.bootstrap,
				"spring.kafka.consumer.properties[session.timeout.ms]=" + SESSION_TIMEOUT_MS,
				"herald.kafka.instance-id=node-a");

	@Test
	void aRestartUnderTheSameNameTakesTheStoppedMembersPlacesAndTheirPartitions() throws Exception {
		String topic = topic();
		String group = "static-" + UUID.randomUUID();
		this.contexts.run((context) -> {
			try (Admin admin = admin()) {
				ConcurrentMessageListenerContainer<?, ?> first = start(context, topic, group);
				await().atMost(TIMEOUT).until(() -> assigned(first).size() == PARTITIONS);
				assertThat(instanceIds(admin, group)).containsExactlyInAnyOrder("node-a-0", "node-a-1");

				first.stop();
				// A static member does not leave: the group keeps it until its session
				// ends.
				assertThat(instanceIds(admin, group)).containsExactlyInAnyOrder("node-a-0", "node-a-1");

				ConcurrentMessageListenerContainer<?, ?> second = start(context, topic, group);
				await().atMost(TIMEOUT).until(() -> assigned(second).size() == PARTITIONS);
				assertThat(instanceIds(admin, group)).containsExactlyInAnyOrder("node-a-0", "node-a-1");
				second.stop();
			}
		});
	}

	@Test
	void withoutANameMembersAreDynamic() throws Exception {
		String topic = topic();
		String group = "dynamic-" + UUID.randomUUID();
		this.contexts.withPropertyValues("herald.kafka.instance-id=").run((context) -> {
			try (Admin admin = admin()) {
				ConcurrentMessageListenerContainer<?, ?> container = start(context, topic, group);
				await().atMost(TIMEOUT).until(() -> assigned(container).size() == PARTITIONS);
				assertThat(members(admin, group)).hasSize(2)
					.allSatisfy((member) -> assertThat(member.groupInstanceId()).isEmpty());
				container.stop();
				// A dynamic member leaves when it stops.
				assertThat(members(admin, group)).isEmpty();
			}
		});
	}

	private static ConcurrentMessageListenerContainer<?, ?> start(ApplicationContext context, String topic,
			String group) {
		@SuppressWarnings("unchecked")
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = context
			.getBean(ConcurrentKafkaListenerContainerFactory.class);
		ConcurrentMessageListenerContainer<Object, Object> container = factory.createContainer(topic);
		container.getContainerProperties().setGroupId(group);
		container.getContainerProperties().setMessageListener((MessageListener<Object, Object>) (record) -> {
		});
		container.setConcurrency(2);
		container.start();
		return container;
	}

	private static Set<TopicPartition> assigned(ConcurrentMessageListenerContainer<?, ?> container) {
		return Optional.ofNullable(container.getAssignedPartitions()).map(Set::copyOf).orElse(Set.of());
	}

	private static List<String> instanceIds(Admin admin, String group) throws Exception {
		return members(admin, group).stream().map((member) -> member.groupInstanceId().orElse("(dynamic)")).toList();
	}

	private static List<MemberDescription> members(Admin admin, String group) throws Exception {
		ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
			.describedGroups()
			.get(group)
			.get();
		return List.copyOf(description.members());
	}

	private Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrap));
	}

	private String topic() throws Exception {
		String topic = "membership-" + UUID.randomUUID();
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
		}
		return topic;
	}

}
