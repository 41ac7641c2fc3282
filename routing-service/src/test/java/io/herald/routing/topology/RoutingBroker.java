package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.EventAccepted;
import io.herald.events.PartitionKeys;
import io.herald.events.Profile;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.infra.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

/**
 * A real broker for one class of the routing topology's integration tests, registered
 * with {@code @RegisterExtension} on a static field: started before the class with the
 * topics the topology reads and writes, closed after it. It writes as ingestion and the
 * user API do, and closes the Kafka Streams instances a test {@link #start started} after
 * that test; it also gives the settings the service runs Kafka Streams with.
 */
final class RoutingBroker implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

	private final int partitions;

	private final List<KafkaStreams> running = new ArrayList<>();

	private @Nullable KafkaBroker kafka;

	private @Nullable KafkaProducer<String, byte[]> producer;

	/**
	 * A broker whose topics have {@code partitions} partitions each: the event log, the
	 * user commands, the statuses, every delivery lane and the dead-letter topics.
	 */
	RoutingBroker(int partitions) {
		this.partitions = partitions;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		KafkaBroker kafka = KafkaBroker.builder().build().start();
		this.kafka = kafka;
		List<NewTopic> topics = new ArrayList<>();
		for (String name : List.of(Topics.USER_COMMANDS.name(), Topics.EVENTS.name(), Topics.STATUS.name(),
				Topics.deadLetter(Topics.EVENTS.name()), Topics.deadLetter(Topics.USER_COMMANDS.name()))) {
			topics.add(new NewTopic(name, this.partitions, (short) 1));
		}
		for (Channel channel : Channel.values()) {
			for (Topic<DeliverNotification> lane : Topics.deliveryLanes(channel)) {
				topics.add(new NewTopic(lane.name(), this.partitions, (short) 1));
			}
		}
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
			admin.createTopics(topics).all().get();
		}
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
				new ByteArraySerializer());
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.running.forEach((streams) -> streams.close(Duration.ofSeconds(10)));
		this.running.clear();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.producer != null) {
			this.producer.close();
		}
		if (this.kafka != null) {
			this.kafka.close();
		}
	}

	String bootstrapServers() {
		return Objects.requireNonNull(this.kafka, "the broker starts before the test class").bootstrapServers();
	}

	/** The producer every write goes through: {@code acks=all}. */
	KafkaProducer<String, byte[]> producer() {
		return Objects.requireNonNull(this.producer, "the broker starts before the test class");
	}

	void send(String topic, String key, byte[] value) {
		producer().send(new ProducerRecord<>(topic, key, value));
	}

	/** Writes an event as ingestion does: an event for one user keyed by that user. */
	void sendEvent(EventAccepted event) {
		send(Topics.EVENTS.name(), PartitionKeys.eventLog(event), Topics.EVENTS.codec().encode(event));
	}

	/**
	 * Writes a user as the user API does: a profile with the address
	 * {@code <userId>@example.com}, and an Android device.
	 */
	void registerUser(String tenant, String userId) {
		send(Topics.USER_COMMANDS.name(), PartitionKeys.user(tenant, userId),
				Topics.USER_COMMANDS.codec()
					.encode(new UserCommand.UpsertProfile(1, tenant, userId, Instant.now(),
							new Profile(userId + "@example.com", null, "en", "UTC"))));
		send(Topics.USER_COMMANDS.name(), PartitionKeys.user(tenant, userId), Topics.USER_COMMANDS.codec()
			.encode(new UserCommand.RegisterDevice(1, tenant, userId, Instant.now(),
					new Device(Device.Platform.ANDROID, "token-" + userId + "-0123456789", null, Instant.now()))));
	}

	/** Sends what was written so far. */
	void flush() {
		producer().flush();
	}

	/**
	 * Starts an instance, closed after the test unless the test {@link #close closes} it
	 * first.
	 */
	KafkaStreams start(KafkaStreams streams) {
		this.running.add(streams);
		streams.start();
		return streams;
	}

	/** Closes an instance the test started, as an instance that goes away. */
	void close(KafkaStreams streams, Duration timeout) {
		streams.close(timeout);
		this.running.remove(streams);
	}

	/**
	 * Waits until an application has routed every event written so far: its committed
	 * offsets have reached the end of every partition of the event log.
	 */
	void awaitRouted(String applicationId) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
			for (int partition = 0; partition < this.partitions; partition++) {
				ends.put(new TopicPartition(Topics.EVENTS.name(), partition), OffsetSpec.latest());
			}
			Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
				Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
					.partitionsToOffsetAndMetadata()
					.get();
				return admin.listOffsets(ends).all().get().entrySet().stream().allMatch((end) -> {
					OffsetAndMetadata offset = committed.get(end.getKey());
					return end.getValue().offset() == 0
							|| (offset != null && offset.offset() >= end.getValue().offset());
				});
			});
		}
	}

	/** A consumer of the delivery lanes of some channels, from their start. */
	KafkaConsumer<String, byte[]> laneReader(Channel... channels) {
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
						"reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new ByteArrayDeserializer());
		List<String> lanes = new ArrayList<>();
		for (Channel channel : channels) {
			Topics.deliveryLanes(channel).forEach((lane) -> lanes.add(lane.name()));
		}
		consumer.subscribe(lanes);
		return consumer;
	}

	/**
	 * Kafka Streams settings as the service's (application.yml): at least once, offsets
	 * committed every second, dead letters, explicit names; a fresh state directory.
	 */
	Properties streamsProperties(String applicationId) throws IOException {
		Properties properties = new Properties();
		properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
		properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		properties.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("routing-it-").toString());
		properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
		properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
		properties.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 2);
		properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
				DeadLetterDeserializationHandler.class.getName());
		properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
				DeadLetterProcessingHandler.class.getName());
		properties.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
		properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
		// These tests stop instances without leaving and kill stream threads: their
		// partitions move on after the broker's shortest session (6 s), not the service's
		// 15 s, which only makes each such wait longer.
		properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
		properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_500);
		return properties;
	}

}
