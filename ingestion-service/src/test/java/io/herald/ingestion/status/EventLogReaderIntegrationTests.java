package io.herald.ingestion.status;

import io.herald.events.Content;
import io.herald.events.EventAccepted;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import io.herald.events.Topics;
import io.herald.infra.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link EventLogReader} against a real broker of its own: an event is read back from its
 * position, one that left the log is gone, and a log that cannot be read is unavailable,
 * never gone. Concurrent reads share the one consumer without corrupting it.
 */
class EventLogReaderIntegrationTests {

	private static final KafkaBroker broker = KafkaBroker.builder().build().start();

	static {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(Topics.EVENTS.name(), 3, (short) 1))).all().get();
		}
		catch (Exception ex) {
			throw new IllegalStateException("could not create " + Topics.EVENTS.name(), ex);
		}
	}

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final EventLogReader reader = new EventLogReader(new DefaultKafkaConsumerFactory<>(
			Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringDeserializer(),
			new ByteArrayDeserializer()));

	@AfterEach
	void closeReader() {
		this.reader.destroy();
		broker.start();
	}

	@AfterAll
	static void closeBroker() {
		broker.close();
	}

	@Test
	void readsTheEventAtItsPosition() {
		EventAccepted event = event("u-1");
		String position = append(event);

		assertThat(this.reader.read(Topics.EVENTS.name(), position, event.eventId(), TIMEOUT)).isEqualTo(event);
	}

	@Test
	void anotherEventAtThePositionIsNotTheEvent() {
		EventAccepted event = event("u-1");
		String position = append(event);

		assertThat(this.reader.read(Topics.EVENTS.name(), position, "another-event", TIMEOUT)).isNull();
	}

	@Test
	void anEventThatLeftTheLogIsGone() throws Exception {
		EventAccepted event = event("u-2");
		String position = append(event);
		int partition = Integer.parseInt(position.substring(0, position.indexOf(':')));
		long offset = Long.parseLong(position.substring(position.indexOf(':') + 1));
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			admin
				.deleteRecords(Map.of(new TopicPartition(Topics.EVENTS.name(), partition),
						RecordsToDelete.beforeOffset(offset + 1)))
				.all()
				.get();
		}

		assertThat(this.reader.read(Topics.EVENTS.name(), position, event.eventId(), TIMEOUT)).isNull();
	}

	@Test
	void aLogThatCannotBeReadIsUnavailableNotGoneAndIsReadOnceBack() {
		EventAccepted event = event("u-3");
		String position = append(event);

		broker.stop();
		assertThatExceptionOfType(EventLogReader.EventLogUnavailableException.class)
			.isThrownBy(() -> this.reader.read(Topics.EVENTS.name(), position, event.eventId(), Duration.ofSeconds(2)));
		broker.start();

		assertThat(this.reader.read(Topics.EVENTS.name(), position, event.eventId(), Duration.ofSeconds(30)))
			.isEqualTo(event);
	}

	@Test
	void concurrentReadsEachGetTheirOwnEvent() throws Exception {
		List<EventAccepted> events = new ArrayList<>();
		List<String> positions = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			EventAccepted event = event("u-" + i);
			events.add(event);
			positions.add(append(event));
		}
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Callable<EventAccepted>> reads = new ArrayList<>();
			for (int i = 0; i < events.size(); i++) {
				String eventId = events.get(i).eventId();
				String position = positions.get(i);
				reads.add(() -> this.reader.read(Topics.EVENTS.name(), position, eventId, Duration.ofSeconds(30)));
			}
			List<EventAccepted> read = new ArrayList<>();
			for (Future<EventAccepted> future : threads.invokeAll(reads)) {
				read.add(future.get());
			}
			assertThat(read).containsExactlyElementsOf(events);
		}
		finally {
			threads.shutdownNow();
		}
	}

	/** Appends an event to the event log under its key. */
	private static String append(EventAccepted event) {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map
			.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new ByteArraySerializer())) {
			RecordMetadata written = producer
				.send(new ProducerRecord<>(Topics.EVENTS.name(), event.tenant() + "|" + event.eventId(),
						Topics.EVENTS.codec().encode(event)))
				.get();
			return written.partition() + ":" + written.offset();
		}
		catch (Exception ex) {
			throw new IllegalStateException("could not append " + event.eventId(), ex);
		}
	}

	private static EventAccepted event(String user) {
		return new EventAccepted(EventAccepted.SCHEMA_VERSION, "acme", UUID.randomUUID().toString(),
				Instant.parse("2026-11-22T10:00:00Z"), "order.shipped", new Recipients.Users(List.of(user)),
				Priority.NORMAL, null, Set.of(), new Content("Your order shipped", "Order 981", null), null, Map.of(),
				null, null);
	}

}
