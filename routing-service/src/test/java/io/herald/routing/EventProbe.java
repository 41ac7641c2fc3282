package io.herald.routing;

import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.EventAccepted;
import io.herald.events.PartitionKeys;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import io.herald.events.StatusReported;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.support.kafka.CatalogFollower;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sends templated events as ingestion does, each stamped with the template catalog's
 * position after a sync with the catalog topic (what ingestion does before it accepts the
 * event), and reads what routing made of them: in-app deliveries and statuses, from their
 * ends at the probe's start.
 */
public final class EventProbe implements AutoCloseable {

	private final CatalogFollower catalog;

	private final KafkaProducer<String, byte[]> producer;

	private final KafkaConsumer<String, byte[]> consumer;

	private final List<DeliverNotification> delivered = new ArrayList<>();

	private final List<StatusReported> statuses = new ArrayList<>();

	public EventProbe(String bootstrapServers) {
		this.catalog = new CatalogFollower(Topics.TEMPLATES.name(),
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), "probe-catalog", (record) -> {
				});
		this.catalog.start();
		this.producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new ByteArraySerializer());
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
				new ByteArrayDeserializer());
		List<TopicPartition> partitions = new ArrayList<>();
		List<String> topics = new ArrayList<>();
		Topics.deliveryLanes(Channel.INAPP).forEach((lane) -> topics.add(lane.name()));
		topics.add(Topics.STATUS.name());
		for (String topic : topics) {
			for (PartitionInfo info : this.consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
				partitions.add(new TopicPartition(topic, info.partition()));
			}
		}
		this.consumer.assign(partitions);
		this.consumer.seekToEnd(partitions);
		partitions.forEach((partition) -> this.consumer.position(partition));
		await().atMost(Duration.ofSeconds(60)).until(this.catalog::isLoaded);
	}

	/**
	 * Sends an event for one user naming a template, as ingestion would accept it right
	 * now.
	 * @return its id
	 */
	public String send(String tenant, String user, String template, Map<String, @Nullable Object> data,
			Priority priority) {
		assertThat(this.catalog.sync(Duration.ofSeconds(10))).isTrue();
		EventAccepted event = new EventAccepted(EventAccepted.SCHEMA_VERSION, tenant, UUID.randomUUID().toString(),
				Instant.now(), "probe.templated", new Recipients.Users(List.of(user)), priority, null,
				Set.of(Channel.INAPP), null, template, data, null, null, this.catalog.position());
		Topic<EventAccepted> log = Topics.eventLog(priority);
		try {
			this.producer
				.send(new ProducerRecord<>(log.name(), PartitionKeys.eventLog(event), log.codec().encode(event)))
				.get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return event.eventId();
	}

	/** The in-app delivery of an event, once routing wrote it. */
	public DeliverNotification delivery(String eventId) {
		return await().atMost(Duration.ofSeconds(60)).until(() -> {
			poll();
			return this.delivered.stream().filter((delivery) -> delivery.eventId().equals(eventId)).findFirst();
		}, Optional::isPresent).orElseThrow();
	}

	/** The in-app status of an event, once routing reported it. */
	public StatusReported status(String eventId) {
		return await().atMost(Duration.ofSeconds(60)).until(() -> {
			poll();
			return this.statuses.stream().filter((status) -> status.eventId().equals(eventId)).findFirst();
		}, Optional::isPresent).orElseThrow();
	}

	private void poll() {
		for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(200))) {
			if (record.topic().equals(Topics.STATUS.name())) {
				StatusReported status = Topics.STATUS.codec().decode(record.value());
				if (status != null) {
					this.statuses.add(status);
				}
			}
			else {
				DeliverNotification delivery = Topics.deliver(Channel.INAPP, Priority.HIGH.lane())
					.codec()
					.decode(record.value());
				if (delivery != null) {
					this.delivered.add(delivery);
				}
			}
		}
	}

	@Override
	public void close() {
		this.catalog.stop();
		this.producer.close();
		this.consumer.close();
	}

}
