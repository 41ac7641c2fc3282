package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.Content;
import io.herald.events.DeliverNotification;
import io.herald.events.EventAccepted;
import io.herald.events.Lane;
import io.herald.events.PartitionKeys;
import io.herald.events.Priority;
import io.herald.events.Profile;
import io.herald.events.Recipients;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.infra.FreePorts;
import io.herald.infra.SharedInfra;
import io.herald.routing.RoutingTestSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Critical events never wait behind other priorities in routing (DESIGN.md, guarantee 4):
 * the routing service runs two Kafka Streams applications, one for {@code herald.events}
 * and one for {@code herald.events.critical}, with their own threads, tasks and stores
 * (docs/adr/014). Proven structurally, never by the clock: a critical event written after
 * a flood comes out of routing while most of the flood is still unrouted, and still comes
 * out while the other application is paused. The instance has a name
 * ({@code herald.kafka.instance-id}), so the threads of both are static members of their
 * groups.
 */
class CriticalPathIntegrationTests {

	/** Enough events for routing to take seconds over them on a small machine. */
	private static final int FLOOD = 30_000;

	/** This instance's name: its consumers are static group members. */
	private static final String INSTANCE_ID = "routing-a";

	private static ConfigurableApplicationContext routing;

	private static String applicationId;

	private static KafkaProducer<String, byte[]> producer;

	@BeforeAll
	static void startRouting() {
		applicationId = RoutingTestSupport.uniqueApplicationId(CriticalPathIntegrationTests.class);
		Map<String, Object> properties = RoutingTestSupport.properties(applicationId);
		properties.put("herald.kafka.instance-id", INSTANCE_ID);
		routing = RoutingTestSupport.start(FreePorts.find(), properties);
		RoutingTestSupport.awaitRunning(Duration.ofSeconds(90), routing);
		producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers(),
						ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
				new StringSerializer(), new ByteArraySerializer());
	}

	@AfterAll
	static void stopRouting() {
		if (producer != null) {
			producer.close();
		}
		if (routing != null) {
			routing.close();
		}
	}

	@Test
	void criticalEventsAreRoutedByAnApplicationWithThreadsOfItsOwn() {
		KafkaStreams main = streams(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_BUILDER_BEAN_NAME);
		KafkaStreams critical = streams(RoutingConfiguration.CRITICAL);
		Set<String> mainThreads = threadNames(main);
		Set<String> criticalThreads = threadNames(critical);

		assertThat(mainThreads).hasSize(1);
		assertThat(criticalThreads).hasSize(1).doesNotContainAnyElementsOf(mainThreads);
		assertThat(consumedTopics(critical)).contains(Topics.CRITICAL_EVENTS.name(), Topics.USER_COMMANDS.name())
			.doesNotContain(Topics.EVENTS.name());
		assertThat(consumedTopics(main)).contains(Topics.EVENTS.name()).doesNotContain(Topics.CRITICAL_EVENTS.name());
	}

	@Test
	void withAnInstanceIdEachApplicationsThreadIsAStaticMemberOfItsGroup() {
		// Kafka Streams suffixes the id with the thread's index.
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(instanceIds(applicationId)).containsExactly(INSTANCE_ID + "-1"));
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(instanceIds(applicationId + RoutingConfiguration.CRITICAL_SUFFIX))
				.containsExactly(INSTANCE_ID + "-1"));
	}

	private static List<String> instanceIds(String group) throws Exception {
		try (Admin admin = admin()) {
			return admin.describeConsumerGroups(List.of(group))
				.describedGroups()
				.get(group)
				.get()
				.members()
				.stream()
				.map((member) -> member.groupInstanceId().orElse("(dynamic)"))
				.toList();
		}
	}

	@Test
	void aCriticalEventOvertakesAFloodOfHighAndBulkEvents() throws Exception {
		String tenant = "flood-" + UUID.randomUUID().toString().substring(0, 8);
		registerWithEmail(tenant, "alice");
		List<String> flood = List.of(Topics.deliver(Channel.INAPP, Lane.PRIORITY).name(),
				Topics.deliver(Channel.INAPP, Lane.BULK).name());
		Map<TopicPartition, Long> before = endOffsets(flood);

		for (int n = 0; n < FLOOD; n++) {
			Priority priority = (n % 2 == 0) ? Priority.HIGH : Priority.NORMAL;
			send(event(tenant, "flood-" + n, "u-" + (n % 100), priority, Set.of(Channel.INAPP)));
		}
		producer.flush();
		EventAccepted alert = event(tenant, "alert", "alice", Priority.CRITICAL, Set.of(Channel.INAPP, Channel.EMAIL));
		send(alert);
		producer.flush();

		// Both of the critical event's notifications, in-app and email, come out on the
		// critical lanes: the email proves the critical application has alice's state
		// (folded from herald.user-commands) without asking the other application.
		List<DeliverNotification> routed = awaitNotifications(tenant,
				List.of(Topics.deliver(Channel.INAPP, Lane.CRITICAL), Topics.deliver(Channel.EMAIL, Lane.CRITICAL)), 2);
		long floodRouted = written(before, endOffsets(flood));

		assertThat(routed).extracting(DeliverNotification::channel)
			.containsExactlyInAnyOrder(Channel.INAPP, Channel.EMAIL);
		assertThat(routed).allSatisfy((notification) -> {
			assertThat(notification.eventId()).isEqualTo("alert");
			assertThat(notification.priority()).isEqualTo(Priority.CRITICAL);
		});
		assertThat(floodRouted).as("flood notifications routed when the critical one was").isLessThan(FLOOD / 2);
	}

	@Test
	void aCriticalEventIsRoutedWhileTheOtherApplicationIsStalled() throws Exception {
		String tenant = "stalled-" + UUID.randomUUID().toString().substring(0, 8);
		KafkaStreams main = streams(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_BUILDER_BEAN_NAME);
		main.pause();
		try {
			send(event(tenant, "high-1", "bob", Priority.HIGH, Set.of(Channel.INAPP)));
			send(event(tenant, "alert", "bob", Priority.CRITICAL, Set.of(Channel.INAPP)));
			producer.flush();

			List<DeliverNotification> routed = awaitNotifications(tenant,
					List.of(Topics.deliver(Channel.INAPP, Lane.CRITICAL)), 1);

			assertThat(routed).singleElement().satisfies((notification) -> {
				assertThat(notification.eventId()).isEqualTo("alert");
				assertThat(notification.userId()).isEqualTo("bob");
			});
			assertThat(notifications(tenant, List.of(Topics.deliver(Channel.INAPP, Lane.PRIORITY)))).isEmpty();
		}
		finally {
			main.resume();
		}
		assertThat(awaitNotifications(tenant, List.of(Topics.deliver(Channel.INAPP, Lane.PRIORITY)), 1))
			.extracting(DeliverNotification::eventId)
			.containsExactly("high-1");
	}

	private static KafkaStreams streams(String factoryBean) {
		KafkaStreams streams = routing.getBean("&" + factoryBean, StreamsBuilderFactoryBean.class).getKafkaStreams();
		assertThat(streams).isNotNull();
		return streams;
	}

	private static Set<String> threadNames(KafkaStreams streams) {
		return streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadName).collect(Collectors.toSet());
	}

	private static Set<String> consumedTopics(KafkaStreams streams) {
		Set<String> topics = new HashSet<>();
		streams.metadataForLocalThreads()
			.forEach((thread) -> thread.activeTasks()
				.forEach((task) -> task.topicPartitions().forEach((partition) -> topics.add(partition.topic()))));
		return topics;
	}

	private static void registerWithEmail(String tenant, String userId) {
		send(Topics.USER_COMMANDS.name(), PartitionKeys.user(tenant, userId),
				Topics.USER_COMMANDS.codec()
					.encode(new UserCommand.UpsertProfile(1, tenant, userId, Instant.now(),
							new Profile(userId + "@example.com", null, "en", "UTC"))));
		producer.flush();
		// Both applications fold the command into their own user state.
		await().atMost(Duration.ofSeconds(60))
			.until(() -> committed(applicationId, Topics.USER_COMMANDS.name())
					&& committed(applicationId + RoutingConfiguration.CRITICAL_SUFFIX, Topics.USER_COMMANDS.name()));
	}

	/** Whether a consumer group has committed every record now in a topic. */
	private static boolean committed(String group, String topic) throws ExecutionException, InterruptedException {
		try (Admin admin = admin()) {
			Map<TopicPartition, Long> ends = endOffsets(admin, List.of(topic));
			Map<TopicPartition, OffsetAndMetadata> offsets = admin
				.listConsumerGroupOffsets(Map.of(group, new ListConsumerGroupOffsetsSpec()))
				.partitionsToOffsetAndMetadata(group)
				.get();
			return ends.entrySet()
				.stream()
				.allMatch((end) -> end.getValue() == 0
						|| (offsets.get(end.getKey()) != null && offsets.get(end.getKey()).offset() >= end.getValue()));
		}
	}

	private static EventAccepted event(String tenant, String eventId, String userId, Priority priority,
			Set<Channel> channels) {
		return new EventAccepted(1, tenant, eventId, Instant.now(), "account.notice",
				new Recipients.Users(List.of(userId)), priority, null, channels,
				new Content("Notice", "Something happened", null), null, Map.of(), null, null);
	}

	/** Writes an event to its log, as ingestion does. */
	private static void send(EventAccepted event) {
		Topic<EventAccepted> log = Topics.eventLog(event.priority());
		send(log.name(), PartitionKeys.eventLog(event), log.codec().encode(event));
	}

	private static void send(String topic, String key, byte[] value) {
		producer.send(new ProducerRecord<>(topic, key, value));
	}

	/**
	 * Reads lanes from the beginning until {@code count} notifications of the tenant are
	 * there.
	 */
	private static List<DeliverNotification> awaitNotifications(String tenant, List<Topic<DeliverNotification>> lanes,
			int count) {
		List<DeliverNotification> found = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> reader = reader(lanes)) {
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(100))) {
					if (record.key() != null && record.key().startsWith(tenant + "|")) {
						found.add(Topics.deliver(Channel.INAPP, Lane.CRITICAL).codec().decode(record.value()));
					}
				}
				assertThat(found).hasSizeGreaterThanOrEqualTo(count);
			});
		}
		return found;
	}

	/** The notifications of a tenant now on some lanes. */
	private static List<DeliverNotification> notifications(String tenant, List<Topic<DeliverNotification>> lanes) {
		List<DeliverNotification> found = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> reader = reader(lanes)) {
			Map<TopicPartition, Long> ends = reader.endOffsets(reader.assignment());
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(100))) {
					if (record.key() != null && record.key().startsWith(tenant + "|")) {
						found.add(Topics.deliver(Channel.INAPP, Lane.CRITICAL).codec().decode(record.value()));
					}
				}
				return ends.entrySet().stream().allMatch((end) -> reader.position(end.getKey()) >= end.getValue());
			});
		}
		return found;
	}

	private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> reader,
			List<Topic<DeliverNotification>> lanes) {
		List<TopicPartition> partitions = new ArrayList<>();
		for (Topic<DeliverNotification> lane : lanes) {
			reader.partitionsFor(lane.name())
				.forEach((info) -> partitions.add(new TopicPartition(info.topic(), info.partition())));
		}
		return partitions;
	}

	private static KafkaConsumer<String, byte[]> reader(List<Topic<DeliverNotification>> lanes) {
		KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers(),
						ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
				new StringDeserializer(), new ByteArrayDeserializer());
		List<TopicPartition> partitions = partitions(reader, lanes);
		reader.assign(partitions);
		reader.seekToBeginning(partitions);
		return reader;
	}

	private static Map<TopicPartition, Long> endOffsets(List<String> topics)
			throws ExecutionException, InterruptedException {
		try (Admin admin = admin()) {
			return endOffsets(admin, topics);
		}
	}

	private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics)
			throws ExecutionException, InterruptedException {
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		admin.describeTopics(topics)
			.allTopicNames()
			.get()
			.forEach((name, description) -> description.partitions()
				.forEach((partition) -> latest.put(new TopicPartition(name, partition.partition()),
						OffsetSpec.latest())));
		Map<TopicPartition, Long> ends = new HashMap<>();
		admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
		return ends;
	}

	/** Records written between two snapshots of end offsets. */
	private static long written(Map<TopicPartition, Long> before, Map<TopicPartition, Long> after) {
		long written = 0;
		for (Map.Entry<TopicPartition, Long> end : after.entrySet()) {
			written += end.getValue() - before.getOrDefault(end.getKey(), 0L);
		}
		return written;
	}

	private static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers()));
	}

}
