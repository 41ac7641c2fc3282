package io.herald.gateway.inbox;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.events.Topics;
import io.herald.infra.SharedInfra;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Critical in-app notifications never wait behind other lanes in the inbox writer (DESIGN.md,
 * guarantee 4): the critical lane has a listener container, consumer group and threads of its own
 * (docs/adr/014). Proven structurally, never by the clock: a critical notification sent after a
 * flood of high and bulk ones is in its user's inbox while most of the flood is not, and gets
 * there while the other lanes' containers are paused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "herald.kafka.partitions=4")
@DirtiesContext
class CriticalLaneIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/** Notifications per flooded lane: enough for the writer to take seconds over them. */
	private static final int FLOOD = 20_000;

	private static KafkaProducer<String, byte[]> routing;

	@Autowired
	private Inbox inbox;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private KafkaListenerEndpointRegistry containers;

	private String tenant;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> SharedInfra.kafka().bootstrapServers());
		registry.add("spring.data.redis.port", () -> SharedInfra.redis().port());
	}

	@BeforeAll
	static void startRouting() {
		routing = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				SharedInfra.kafka().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
				ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
	}

	@AfterAll
	static void stopRouting() {
		routing.close();
	}

	@BeforeEach
	void newTenant() {
		this.tenant = "t-" + UUID.randomUUID();
		await().atMost(TIMEOUT)
			.until(() -> this.containers.getListenerContainers()
				.stream()
				.allMatch((container) -> container.isRunning() && !container.getAssignedPartitions().isEmpty()));
	}

	@Test
	void aCriticalNotificationOvertakesAFloodOfHighAndBulkOnes() {
		double before = appended(Lane.PRIORITY) + appended(Lane.BULK);
		for (int n = 0; n < FLOOD; n++) {
			String user = "u-" + (n % 200);
			deliver(Lane.PRIORITY, notification(user, "high-" + n, Priority.HIGH));
			deliver(Lane.BULK, notification(user, "bulk-" + n, Priority.LOW));
		}
		routing.flush();
		deliver(Lane.CRITICAL, notification("u-7", "alert", Priority.CRITICAL));
		routing.flush();

		await().atMost(TIMEOUT).until(() -> inboxHas("u-7", "alert"));
		double flooded = appended(Lane.PRIORITY) + appended(Lane.BULK) - before;

		assertThat(flooded).as("flood notifications in inboxes when the critical one was").isLessThan(FLOOD);
		assertThat(appended(Lane.CRITICAL)).isGreaterThanOrEqualTo(1);
	}

	@Test
	void aCriticalNotificationReachesTheInboxWhileTheOtherLanesAreStalled() {
		List<MessageListenerContainer> others = List.of(container("herald-inbox-priority"),
				container("herald-inbox-bulk"));
		others.forEach(MessageListenerContainer::pause);
		try {
			await().atMost(TIMEOUT).until(() -> others.stream().allMatch(MessageListenerContainer::isPauseRequested));
			deliver(Lane.PRIORITY, notification("u-1", "high-1", Priority.HIGH));
			deliver(Lane.BULK, notification("u-1", "bulk-1", Priority.LOW));
			deliver(Lane.CRITICAL, notification("u-1", "alert", Priority.CRITICAL));
			routing.flush();

			await().atMost(TIMEOUT).until(() -> inboxHas("u-1", "alert"));
			assertThat(this.inbox.since(this.tenant, "u-1", 0, 10)).extracting((entry) -> entry.notification().eventId())
				.containsExactly("alert");
		}
		finally {
			others.forEach(MessageListenerContainer::resume);
		}
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.inbox.since(this.tenant, "u-1", 0, 10))
				.extracting((entry) -> entry.notification().eventId())
				.containsExactlyInAnyOrder("alert", "high-1", "bulk-1"));
	}

	private boolean inboxHas(String user, String eventId) {
		return this.inbox.since(this.tenant, user, 0, 1000)
			.stream()
			.anyMatch((entry) -> eventId.equals(entry.notification().eventId()));
	}

	private double appended(Lane lane) {
		Counter counter = this.meters.find("herald.gateway.inbox.appends")
			.tags("lane", lane.topicSuffix(), "outcome", "appended")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private MessageListenerContainer container(String id) {
		MessageListenerContainer container = this.containers.getListenerContainer(id);
		assertThat(container).as(id).isNotNull();
		return container;
	}

	private DeliverNotification notification(String user, String eventId, Priority priority) {
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, this.tenant, eventId,
				DeliverNotification.notificationId(eventId, user, Channel.INAPP), user, priority, "account.notice",
				new ChannelMessage.InApp("title", "body"), Map.of(), Instant.now(), null);
	}

	private static void deliver(Lane lane, DeliverNotification notification) {
		routing.send(new ProducerRecord<>(Topics.deliver(Channel.INAPP, lane).name(), notification.key(),
				Topics.deliver(Channel.INAPP, lane).codec().encode(notification)));
	}

}
