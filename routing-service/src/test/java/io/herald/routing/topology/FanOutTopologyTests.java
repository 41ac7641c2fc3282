package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.Counts;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.EventAccepted;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.PartitionKeys;
import io.herald.events.Profile;
import io.herald.events.StatusReported;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.herald.routing.topology.RoutingDriver.PARTITIONS;
import static io.herald.routing.topology.RoutingDriver.kafkaPartition;
import static io.herald.routing.topology.RoutingDriver.users;
import static io.herald.routing.topology.TestEvents.TENANT;
import static io.herald.routing.topology.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topic and all-users events: many users' in-app deliveries and statuses leave as batch
 * records (docs/adr/018), and every recipient still gets the event exactly once.
 */
class FanOutTopologyTests {

	private static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");

	private static final String EVENTS_SCATTER_TOPIC = RoutingDriver.repartitionTopic(RoutingTopology.EVENTS_SCATTER);

	@AutoClose
	private RoutingDriver routing;

	@Test
	void shouldWriteTheInAppDeliveriesOfOnePartitionAsOneRecordWithAnIdPerUser() {
		RoutingDriver routing = start();
		subscribe(routing, 2_000, "deals");
		routing.event(event("e-1", NOON).topic("deals").channels(Channel.INAPP).build());

		List<TestRecord<String, DeliverNotification>> records = routing.lane(Channel.INAPP, Lane.BULK);
		// At most one record per partition for every 500 recipients the expander hands
		// over.
		assertThat(records).hasSizeLessThanOrEqualTo(2_000 / FanOutExpander.BATCH * PARTITIONS);
		List<DeliverNotification> perUser = new ArrayList<>();
		for (TestRecord<String, DeliverNotification> record : records) {
			DeliverNotification batch = record.value();
			assertThat(record.key()).isEqualTo(batch.key());
			assertThat(batch.schemaVersion()).isEqualTo(DeliverNotification.BATCH_SCHEMA_VERSION);
			assertThat(new String(record.headers().lastHeader(HeaderNames.CE_TYPE).value(), StandardCharsets.UTF_8))
				.isEqualTo(Router.CE_TYPE_DELIVERY_BATCH);
			// Every user of a record is on the record's partition: the lane keeps each
			// user's order.
			assertThat(batch.perUser())
				.allSatisfy((one) -> assertThat(kafkaPartition(one.key())).isEqualTo(kafkaPartition(record.key())));
			perUser.addAll(batch.perUser());
		}
		assertThat(perUser).extracting(DeliverNotification::userId).containsExactlyInAnyOrder(users(2_000));
		assertThat(perUser).allSatisfy((one) -> {
			assertThat(one.notificationId())
				.isEqualTo(DeliverNotification.notificationId("e-1", one.userId(), Channel.INAPP));
			assertThat(one.schemaVersion()).isEqualTo(DeliverNotification.SCHEMA_VERSION);
		});
	}

	@Test
	void shouldReportTheQueuedStatusesOfAFanOutInBatches() {
		RoutingDriver routing = start();
		subscribe(routing, 2_000, "deals");
		routing.event(event("e-1", NOON).topic("deals").channels(Channel.INAPP).build());

		List<TestRecord<String, StatusReported>> records = routing.statusRecords();
		List<TestRecord<String, DeliverNotification>> deliveries = routing.lane(Channel.INAPP, Lane.BULK);
		// One count per delivery record of many users, a record per partition for every
		// 500 recipients the expander hands over.
		assertThat(records).hasSize(deliveries.size());
		assertThat(records)
			.allSatisfy((record) -> assertThat(record.key()).isEqualTo(PartitionKeys.event(TENANT, "e-1")));
		assertThat(records).extracting((record) -> record.headers().lastHeader(HeaderNames.CE_ID).value())
			.doesNotHaveDuplicates();
		List<StatusReported> perUser = records.stream().flatMap((record) -> record.value().perUser().stream()).toList();
		assertThat(perUser).extracting(StatusReported::userId).containsExactlyInAnyOrder(users(2_000));
		assertThat(perUser).allSatisfy((status) -> {
			assertThat(status.state()).isEqualTo(DeliveryState.QUEUED);
			assertThat(status.channel()).isEqualTo(Channel.INAPP);
		});
		// Each in-app batch's queued is one count (docs/adr/037), named by the batch's
		// delivery record, so the gateway's statuses move each delivery out of it.
		Map<String, String> countOfDelivery = new HashMap<>();
		for (TestRecord<String, DeliverNotification> delivery : deliveries) {
			List<String> users = delivery.value().perUser().stream().map(DeliverNotification::userId).toList();
			assertThat(delivery.value().countedAs()).isEqualTo(Counts.id("e-1", Channel.INAPP, users));
			countOfDelivery.put(delivery.value().userId(), delivery.value().countedAs());
		}
		assertThat(records).allSatisfy((record) -> {
			StatusReported count = record.value();
			assertThat(count.isCount()).isTrue();
			assertThat(count.countedAs()).isEqualTo(countOfDelivery.get(count.userId()));
		});
	}

	@Test
	void shouldCountAFanOutReadAgainAfterACrashUnderTheSameIds() {
		RoutingDriver routing = start();
		List<TestRecord<byte[], byte[]>> copies = fanOutToSubscribers(routing, 600);
		List<String> first = routing.statuses().stream().map(StatusReported::countedAs).toList();
		assertThat(first).isNotEmpty().doesNotContainNull();

		copies.forEach(scatterTopic(routing)::pipeInput);

		assertThat(routing.statuses()).extracting(StatusReported::countedAs).containsExactlyInAnyOrderElementsOf(first);
	}

	@Test
	void shouldBatchOnlyInAppDeliveriesOfTheSameMessageAndKeepEveryChannelsStatuses() {
		RoutingDriver routing = start();
		for (int i = 0; i < 40; i++) {
			String user = "u-" + i;
			routing.reachableUser(user);
			if (i % 2 == 0) {
				routing.profile(user, new Profile(user + "@example.com", "+4915100000001", "de-DE", "Europe/Berlin"));
			}
		}
		routing.event(event("e-1", NOON).all()
			.channels(Channel.INAPP, Channel.PUSH)
			.template(TestTemplates.WELCOME, Map.of("name", "Ada"))
			.build());

		List<TestRecord<String, DeliverNotification>> inApp = routing.lane(Channel.INAPP, Lane.BULK);
		assertThat(inApp)
			.allSatisfy((record) -> assertThat(record.value().perUser()).extracting(DeliverNotification::message)
				.containsOnly(record.value().message()));
		assertThat(inApp).flatMap((record) -> record.value().perUser())
			.extracting(DeliverNotification::userId)
			.containsExactlyInAnyOrder(users(40));
		List<TestRecord<String, DeliverNotification>> push = routing.lane(Channel.PUSH, Lane.BULK);
		assertThat(push).hasSize(40).allSatisfy((record) -> assertThat(record.value().manyUsers()).isFalse());

		List<StatusReported> statuses = routing.statuses();
		assertThat(statuses).filteredOn((status) -> status.channel() == Channel.INAPP)
			.extracting(StatusReported::userId)
			.containsExactlyInAnyOrder(users(40));
		assertThat(statuses).filteredOn((status) -> status.channel() == Channel.PUSH)
			.extracting(StatusReported::userId)
			.containsExactlyInAnyOrder(users(40));
	}

	@Test
	void shouldRouteACopyReadAgainAfterACrashAgainWithTheSameIds() {
		RoutingDriver routing = start();
		List<TestRecord<byte[], byte[]>> copies = fanOutToSubscribers(routing, 600);
		List<String> first = routing.deliveries().stream().map(DeliverNotification::notificationId).toList();
		assertThat(first).hasSize(600);

		// As a task that crashed after writing, before committing, would read its copy
		// again.
		copies.forEach(scatterTopic(routing)::pipeInput);

		assertThat(routing.deliveries()).extracting(DeliverNotification::notificationId)
			.containsExactlyInAnyOrderElementsOf(first);
		assertThat(routing.meters.get("herald.routing.replays").counter().count()).isEqualTo(copies.size());
		assertThat(routing.meters.get("herald.routing.duplicates").counter().count()).isZero();
	}

	@Test
	void shouldRouteACopyOfAnEventWithoutAnIdempotencyKeyReadAgainAgainWithoutRememberingIt() {
		RoutingDriver routing = start();
		List<TestRecord<byte[], byte[]>> copies = fanOutToSubscribers(routing, 600,
				event("e-1", NOON).topic("deals").channels(Channel.INAPP).build());
		List<String> first = routing.deliveries().stream().map(DeliverNotification::notificationId).toList();
		assertThat(first).hasSize(600);

		copies.forEach(scatterTopic(routing)::pipeInput);

		assertThat(routing.deliveries()).extracting(DeliverNotification::notificationId)
			.containsExactlyInAnyOrderElementsOf(first);
		assertThat(routing.dedupEntries()).isZero();
		assertThat(routing.meters.get("herald.routing.duplicates").counter().count()).isZero();
	}

	@Test
	void shouldDropACopyOfAFanOutThatCameWithoutItsOriginOnce() {
		RoutingDriver routing = start();
		List<TestRecord<byte[], byte[]>> copies = fanOutToSubscribers(routing, 600);
		assertThat(routing.deliveries()).hasSize(600);
		routing.statuses();

		TestInputTopic<byte[], byte[]> topic = scatterTopic(routing);
		for (TestRecord<byte[], byte[]> copy : copies) {
			RecordHeaders headers = new RecordHeaders(copy.headers().toArray());
			headers.remove(HeaderNames.ORIGIN);
			topic.pipeInput(new TestRecord<>(copy.key(), copy.value(), headers, copy.timestamp()));
		}

		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.statuses()).isEmpty();
		assertThat(routing.meters.get("herald.routing.duplicates").counter().count()).isEqualTo(copies.size());
	}

	@Test
	void shouldHoldAFanOutsDeliveriesPerUserAndReleaseThemOnePerUser() {
		RoutingDriver routing = start();
		subscribe(routing, 30, "deals");
		Instant sendAt = NOON.plusSeconds(600);
		routing.event(event("e-1", NOON).topic("deals").channels(Channel.INAPP).sendAt(sendAt).build());
		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.statuses()).extracting(StatusReported::state)
			.containsOnly(DeliveryState.DEFERRED)
			.hasSize(30);

		routing.advanceTo(sendAt.plusSeconds(1));

		assertThat(routing.deliveries()).extracting(DeliverNotification::userId).containsExactlyInAnyOrder(users(30));
	}

	private RoutingDriver start() {
		this.routing = new RoutingDriver(NOON);
		return this.routing;
	}

	/**
	 * Subscribes users to {@code deals} and publishes an in-app event to it under an
	 * idempotency key.
	 * @return the copies of the event that the scatter wrote, one per partition
	 */
	private static List<TestRecord<byte[], byte[]>> fanOutToSubscribers(RoutingDriver routing, int subscribers) {
		return fanOutToSubscribers(routing, subscribers,
				event("e-1", NOON).topic("deals").channels(Channel.INAPP).idempotencyKey("k-1").build());
	}

	private static List<TestRecord<byte[], byte[]>> fanOutToSubscribers(RoutingDriver routing, int subscribers,
			EventAccepted event) {
		subscribe(routing, subscribers, "deals");
		routing.event(event);
		return routing.driver
			.createOutputTopic(EVENTS_SCATTER_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer())
			.readRecordsToList();
	}

	/** The scatter topic, to read a copy again as the topology would. */
	private static TestInputTopic<byte[], byte[]> scatterTopic(RoutingDriver routing) {
		return routing.driver.createInputTopic(EVENTS_SCATTER_TOPIC, new ByteArraySerializer(),
				new ByteArraySerializer());
	}

	private static void subscribe(RoutingDriver routing, int count, String topic) {
		for (String user : users(count)) {
			routing.subscribe(TENANT, user, topic);
		}
	}

}
