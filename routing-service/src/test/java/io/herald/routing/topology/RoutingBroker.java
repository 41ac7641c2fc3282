package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.infra.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A real broker for the routing topology's integration tests, with the topics the
 * topology reads and writes, and the settings the service runs Kafka Streams with.
 */
final class RoutingBroker {

	private RoutingBroker() {
	}

	/**
	 * Starts a broker with the event log, the user commands, the statuses, every delivery
	 * lane and the dead-letter topics, {@code partitions} partitions each.
	 */
	static KafkaBroker start(int partitions) throws Exception {
		KafkaBroker kafka = KafkaBroker.builder().build().start();
		List<NewTopic> topics = new ArrayList<>();
		for (String name : List.of(Topics.USER_COMMANDS.name(), Topics.EVENTS.name(), Topics.STATUS.name(),
				Topics.deadLetter(Topics.EVENTS.name()), Topics.deadLetter(Topics.USER_COMMANDS.name()))) {
			topics.add(new NewTopic(name, partitions, (short) 1));
		}
		for (Channel channel : Channel.values()) {
			for (Topic<DeliverNotification> lane : Topics.deliveryLanes(channel)) {
				topics.add(new NewTopic(lane.name(), partitions, (short) 1));
			}
		}
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
			admin.createTopics(topics).all().get();
		}
		return kafka;
	}

	/** A producer that writes as ingestion and the user API do: {@code acks=all}. */
	static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
				new ByteArraySerializer());
	}

	/** A consumer of the delivery lanes of some channels, from their start. */
	static KafkaConsumer<String, byte[]> laneReader(KafkaBroker kafka, Channel... channels) {
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
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
	static Properties streamsProperties(KafkaBroker kafka, String applicationId) throws IOException {
		Properties properties = new Properties();
		properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
		properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
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
		return properties;
	}

}
