package io.herald.gateway.inbox;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.gateway.GatewayIntegrationTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Critical in-app notifications never wait behind other lanes in the inbox writer
 * (DESIGN.md, guarantee 4): the critical lane has a listener container, consumer group
 * and threads of its own (docs/adr/014). Proven structurally, never by the clock: a
 * critical notification sent while the writer works through a backlog of high and bulk
 * ones is in its user's inbox while most of the backlog is not, and gets there while the
 * other lanes' containers are paused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "herald.kafka.partitions=4")
@DirtiesContext
class CriticalLaneIntegrationTests extends GatewayIntegrationTest {

	/**
	 * Notifications per flooded lane: enough for the writer to take seconds over them.
	 */
	private static final int FLOOD = 20_000;

	@Autowired
	private Inbox inbox;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private KafkaListenerEndpointRegistry containers;

	private String tenant;

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
		List<MessageListenerContainer> others = otherLanes();
		others.forEach(MessageListenerContainer::pause);
		try {
			await().atMost(TIMEOUT).until(() -> others.stream().allMatch(MessageListenerContainer::isPauseRequested));
			for (int n = 0; n < FLOOD; n++) {
				String user = "u-" + (n % 200);
				lane.deliver(Lane.PRIORITY, notification(user, "high-" + n, Priority.HIGH));
				lane.deliver(Lane.BULK, notification(user, "bulk-" + n, Priority.LOW));
			}
			lane.flush();
		}
		finally {
			others.forEach(MessageListenerContainer::resume);
		}
		// The whole flood waits in the other lanes' topics, and the writer is at it.
		await().atMost(TIMEOUT).until(() -> appended(Lane.PRIORITY) + appended(Lane.BULK) > before);
		lane.deliver(Lane.CRITICAL, notification("u-7", "alert", Priority.CRITICAL));
		lane.flush();

		await().atMost(TIMEOUT).until(() -> inboxHas("u-7", "alert"));
		double flooded = appended(Lane.PRIORITY) + appended(Lane.BULK) - before;

		assertThat(flooded).as("flood notifications in inboxes when the critical one was").isLessThan(FLOOD);
		assertThat(appended(Lane.CRITICAL)).isGreaterThanOrEqualTo(1);
	}

	@Test
	void aCriticalNotificationReachesTheInboxWhileTheOtherLanesAreStalled() {
		List<MessageListenerContainer> others = otherLanes();
		others.forEach(MessageListenerContainer::pause);
		try {
			await().atMost(TIMEOUT).until(() -> others.stream().allMatch(MessageListenerContainer::isPauseRequested));
			lane.deliver(Lane.PRIORITY, notification("u-1", "high-1", Priority.HIGH));
			lane.deliver(Lane.BULK, notification("u-1", "bulk-1", Priority.LOW));
			lane.deliver(Lane.CRITICAL, notification("u-1", "alert", Priority.CRITICAL));
			lane.flush();

			await().atMost(TIMEOUT).until(() -> inboxHas("u-1", "alert"));
			assertThat(this.inbox.since(this.tenant, "u-1", 0, 10))
				.extracting((entry) -> entry.notification().eventId())
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

	private List<MessageListenerContainer> otherLanes() {
		return List.of(container("herald-inbox-priority"), container("herald-inbox-bulk"));
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

}
