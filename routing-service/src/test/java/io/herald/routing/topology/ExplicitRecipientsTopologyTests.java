package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.EventAccepted;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.PartitionKeys;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.herald.routing.topology.RoutingDriver.PARTITIONS;
import static io.herald.routing.topology.RoutingDriver.kafkaPartition;
import static io.herald.routing.topology.RoutingDriver.users;
import static io.herald.routing.topology.TestEvents.TENANT;
import static io.herald.routing.topology.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events that name their users: what they cost on the way to the users' partitions, and
 * that each named user still gets the event exactly once.
 */
class ExplicitRecipientsTopologyTests {

	private static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");

	private static final String EVENTS_BY_USER_TOPIC = RoutingDriver.repartitionTopic(RoutingTopology.EVENTS_BY_USER);

	@AutoClose
	private RoutingDriver routing;

	@Test
	void shouldWriteAnEventForThousandsOfUsersOncePerPartitionNotOncePerUser() {
		RoutingDriver routing = start();
		EventAccepted event = event("e-1", NOON).users(users(2_000)).channels(Channel.INAPP).build();
		routing.event(event);

		List<TestRecord<byte[], byte[]>> written = eventsByUser();
		assertThat(written).hasSizeLessThanOrEqualTo(PARTITIONS);
		// Each partition's copy carries the event's body once and its share of the users:
		// linear in (event size + recipients), where one copy of the whole event per user
		// was quadratic.
		assertThat(bytes(written)).isLessThan(2 * (bytes(event) + PARTITIONS * bytes(bare(event))));
		assertThat(routing.deliveries()).extracting(DeliverNotification::userId)
			.containsExactlyInAnyOrder(users(2_000));
	}

	@Test
	void shouldRouteAnEventForOneUserWhereItWasReadWhenItIsOnThatUsersPartition() {
		RoutingDriver routing = start();
		String user = userOnPartition(0);
		routing.event(PartitionKeys.user(TENANT, user), event("e-1", NOON).users(user).channels(Channel.INAPP).build());

		assertThat(eventsByUser()).as("no trip through the repartition topic").isEmpty();
		assertThat(routing.deliveries()).extracting(DeliverNotification::userId).containsExactly(user);
		assertThat(routing.statuses()).extracting(StatusReported::state).containsExactly(DeliveryState.QUEUED);
		assertThat(eventsRead(routing, "local")).isEqualTo(1);
		assertThat(eventsRead(routing, "repartitioned")).isZero();
	}

	@Test
	void shouldRepartitionAnEventForOneUserReadFromAnotherPartitionThanTheUsers() {
		RoutingDriver routing = start();
		// Read from partition 0 (the driver's), as when the event log has more partitions
		// than the user state: this task does not hold the user, so the event travels to
		// the one that does.
		String user = userOnPartition(5);
		routing.event(PartitionKeys.user(TENANT, user), event("e-1", NOON).users(user).channels(Channel.INAPP).build());

		assertThat(eventsByUser()).singleElement()
			.satisfies((record) -> assertThat(new String(record.key(), StandardCharsets.UTF_8))
				.isEqualTo(PartitionKeys.user(TENANT, user)));
		assertThat(routing.deliveries()).extracting(DeliverNotification::userId).containsExactly(user);
		assertThat(eventsRead(routing, "repartitioned")).isEqualTo(1);
		assertThat(eventsRead(routing, "local")).isZero();
	}

	@Test
	void shouldRouteAnEventWrittenTwiceToItsUsersPartitionOnce() {
		RoutingDriver routing = start();
		String user = userOnPartition(0);
		EventAccepted event = event("e-1", NOON).users(user).channels(Channel.INAPP).idempotencyKey("k-1").build();

		// Ingestion wrote it twice (a publish retried under its idempotency key): two
		// records, two origins, one event id.
		routing.event(PartitionKeys.user(TENANT, user), event);
		routing.event(PartitionKeys.user(TENANT, user), event);

		assertThat(routing.deliveries()).extracting(DeliverNotification::userId).containsExactly(user);
		assertThat(routing.meters.get("herald.routing.duplicates").counter().count()).isEqualTo(1);
	}

	@Test
	void shouldWriteAnEventForOneUserKeyedByTheEventAsOneRecordKeyedByThatUser() {
		RoutingDriver routing = start();
		routing.event(PartitionKeys.event(TENANT, "e-1"),
				event("e-1", NOON).users("u-7").channels(Channel.INAPP).build());

		assertThat(eventsByUser()).singleElement()
			.satisfies((record) -> assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("acme|u-7"));
		assertThat(routing.deliveries()).extracting(DeliverNotification::userId).containsExactly("u-7");
	}

	@Test
	void shouldRouteTheRecordsOfAnEventAgainWithTheSameIdsWhenTheyAreReplayed() {
		RoutingDriver routing = start();

		routeAndReadAgain(event("e-1", NOON).users(users(300)).channels(Channel.INAPP).idempotencyKey("k-1").build());

		assertThat(routing.meters.get("herald.routing.replays").counter().count()).isEqualTo(300);
		assertThat(routing.meters.get("herald.routing.duplicates").counter().count()).isZero();
	}

	@Test
	void shouldRouteTheRecordsOfAnEventWithoutAnIdempotencyKeyAgainWithoutRememberingThem() {
		RoutingDriver routing = start();

		routeAndReadAgain(event("e-1", NOON).users(users(300)).channels(Channel.INAPP).build());

		// Its id is on one record of herald.events only: nothing to look up, nothing to
		// remember.
		assertThat(routing.dedupEntries()).isZero();
		assertThat(routing.meters.get("herald.routing.duplicates").counter().count()).isZero();
	}

	@Test
	void shouldNeitherCountAgainNorRefuseARateLimitedDeliveryReadAgainAfterACrash() {
		this.routing = RoutingDriver.withTwoSmsAnHour(NOON);
		RoutingDriver routing = this.routing;
		routing.event(event("e-1", NOON).users("u-1").channels(Channel.SMS).build());
		routing.event(event("e-2", NOON).users("u-1").channels(Channel.SMS).build());
		List<TestRecord<byte[], byte[]>> written = eventsByUser();
		assertThat(routing.deliveries()).extracting(DeliverNotification::eventId).containsExactly("e-1", "e-2");

		// Read again: the limit is full, and both go out again with their ids, counted
		// once.
		readAgain(written);
		assertThat(routing.deliveries()).extracting(DeliverNotification::eventId).containsExactly("e-1", "e-2");

		routing.event(event("e-3", NOON).users("u-1").channels(Channel.SMS).build());
		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.meters.get("herald.routing.deliveries").tag("reason", "rate_limited").counter().count())
			.isEqualTo(1);
	}

	@Test
	void shouldDropTheCopiesOfAnEventThatCameWithoutItsOriginAsDuplicates() {
		RoutingDriver routing = start();
		routing.event(event("e-1", NOON).users(users(300)).channels(Channel.INAPP).idempotencyKey("k-1").build());
		List<TestRecord<byte[], byte[]>> written = eventsByUser();
		assertThat(routing.deliveries()).hasSize(300);

		readAgain(written.stream().map((record) -> {
			RecordHeaders headers = new RecordHeaders(record.headers().toArray());
			headers.remove(HeaderNames.ORIGIN);
			return new TestRecord<>(record.key(), record.value(), headers, record.timestamp());
		}).toList());

		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.meters.get("herald.routing.duplicates").counter().count()).isEqualTo(300);
	}

	@Test
	void shouldRouteABareEventLeftInTheTopicByAnEarlierVersionToItsKeysUserOnly() {
		RoutingDriver routing = start();
		EventAccepted event = event("e-1", NOON).users("u-1", "u-2", "u-3").channels(Channel.INAPP).build();
		TestInputTopic<byte[], byte[]> topic = routing.driver.createInputTopic(EVENTS_BY_USER_TOPIC,
				new ByteArraySerializer(), new ByteArraySerializer());

		topic.pipeInput("acme|u-2".getBytes(StandardCharsets.UTF_8), Topics.EVENTS.codec().encode(event));

		assertThat(routing.deliveries()).extracting(DeliverNotification::userId).containsExactly("u-2");
	}

	@Test
	void shouldHoldAnEventForThousandsOfUsersWithoutCopyingTheirListIntoEveryHeldDelivery() {
		RoutingDriver routing = start();
		Instant sendAt = NOON.plus(Duration.ofMinutes(30));
		EventAccepted event = event("e-1", NOON).users(users(2_000)).channels(Channel.INAPP).sendAt(sendAt).build();
		routing.event(event);

		KeyValueStore<String, HeldDelivery> held = routing.driver.getKeyValueStore(RoutingStores.HELD);
		long heldBytes = 0;
		int count = 0;
		try (KeyValueIterator<String, HeldDelivery> all = held.all()) {
			while (all.hasNext()) {
				HeldDelivery delivery = all.next().value;
				assertThat(((Recipients.Users) delivery.event().recipients()).users())
					.containsExactly(delivery.userId());
				heldBytes += HeldDelivery.CODEC.encode(delivery).length;
				count++;
			}
		}
		assertThat(count).isEqualTo(2_000);
		assertThat(heldBytes).isLessThan(2_000L * 2 * bytes(bare(event)));

		routing.advanceTo(sendAt.plusSeconds(1));
		assertThat(routing.deliveries()).extracting(DeliverNotification::userId)
			.containsExactlyInAnyOrder(users(2_000));
	}

	@Test
	void shouldGiveTheEventsDataOnlyToDeliveriesWhoseClientsReceiveIt() {
		RoutingDriver routing = start();
		routing.reachableUser("u-1");
		routing.event(event("e-1", NOON).users("u-1").data(Map.of("orderId", "981")).build());

		assertThat(routing.deliveries()).hasSize(4)
			.allSatisfy((delivery) -> assertThat(delivery.data())
				.isEqualTo((delivery.channel() == Channel.INAPP || delivery.channel() == Channel.PUSH)
						? Map.of("orderId", "981") : Map.of()));
	}

	@Test
	void shouldKeepTheDataOfACriticalEmailThatMayFallBackToPush() {
		RoutingDriver routing = start();
		routing.reachableUser("u-1");
		routing.event(event("e-1", NOON).users("u-1")
			.priority(Priority.CRITICAL)
			.channels(Channel.EMAIL)
			.data(Map.of("orderId", "981"))
			.build());

		assertThat(routing.lane(Channel.EMAIL, Lane.CRITICAL)).singleElement().satisfies((record) -> {
			assertThat(record.value().fallbacks()).extracting(ChannelMessage::channel).contains(Channel.PUSH);
			assertThat(record.value().data()).isEqualTo(Map.of("orderId", "981"));
		});
	}

	private RoutingDriver start() {
		this.routing = new RoutingDriver(NOON);
		return this.routing;
	}

	/**
	 * Routes an event, then reads what it wrote to the repartition topic again, as a task
	 * that crashed after writing and before committing would: its outputs may not have
	 * reached the broker, so they go out again, with the same ids.
	 */
	private void routeAndReadAgain(EventAccepted event) {
		this.routing.event(event);
		List<TestRecord<byte[], byte[]>> written = eventsByUser();
		List<String> first = this.routing.deliveries().stream().map(DeliverNotification::notificationId).toList();
		assertThat(first).hasSize(((Recipients.Users) event.recipients()).users().size());

		readAgain(written);

		assertThat(this.routing.deliveries()).extracting(DeliverNotification::notificationId)
			.containsExactlyInAnyOrderElementsOf(first);
	}

	private void readAgain(List<TestRecord<byte[], byte[]>> records) {
		TestInputTopic<byte[], byte[]> topic = this.routing.driver.createInputTopic(EVENTS_BY_USER_TOPIC,
				new ByteArraySerializer(), new ByteArraySerializer());
		records.forEach(topic::pipeInput);
	}

	/**
	 * Everything written to the repartition topic of explicitly addressed events so far.
	 */
	private List<TestRecord<byte[], byte[]>> eventsByUser() {
		return this.routing.driver
			.createOutputTopic(EVENTS_BY_USER_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer())
			.readRecordsToList();
	}

	/** The event addressed to one user only: its body without the recipient list. */
	private static EventAccepted bare(EventAccepted event) {
		return event.withRecipients(new Recipients.Users(List.of("u-0")));
	}

	private static long bytes(EventAccepted event) {
		return Topics.EVENTS.codec().encode(event).length;
	}

	private static long bytes(List<TestRecord<byte[], byte[]>> records) {
		long total = 0;
		for (TestRecord<byte[], byte[]> record : records) {
			total += record.key().length + record.value().length;
			for (Header header : record.headers()) {
				total += header.key().length() + ((header.value() != null) ? header.value().length : 0);
			}
		}
		return total;
	}

	/**
	 * A user id whose key Kafka puts on the given partition of
	 * {@link RoutingDriver#PARTITIONS}.
	 */
	private static String userOnPartition(int partition) {
		for (int i = 0;; i++) {
			if (kafkaPartition(PartitionKeys.user(TENANT, "u-" + i)) == partition) {
				return "u-" + i;
			}
		}
	}

	private static double eventsRead(RoutingDriver routing, String path) {
		return routing.meters.get("herald.routing.events").tag("path", path).counter().count();
	}

}
