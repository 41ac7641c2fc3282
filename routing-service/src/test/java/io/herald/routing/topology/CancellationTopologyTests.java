package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.EventAccepted;
import io.herald.events.EventCancelled;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.PartitionKeys;
import io.herald.events.Priority;
import io.herald.events.Preferences;
import io.herald.events.Preferences.QuietHours;
import io.herald.events.RetractNotification;
import io.herald.events.StatusReported;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.herald.routing.topology.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Cancellations of events in the routing topology (docs/adr/029). */
class CancellationTopologyTests {

	/** A Tuesday, 13:00 in Berlin. */
	private static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");

	private static final QuietHours NIGHT = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0));

	@AutoClose
	private RoutingDriver routing;

	@Test
	void shouldNeverReleaseADeliveryHeldUntilSendAtOnceItsEventIsCancelled() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		Instant sendAt = NOON.plus(Duration.ofMinutes(30));
		EventAccepted event = event("e-1", NOON).users("u-1")
			.channels(Channel.INAPP, Channel.PUSH)
			.sendAt(sendAt)
			.build();
		routing.event(event);
		assertThat(summary(routing.statuses())).containsExactlyInAnyOrder("u-1 inapp deferred", "u-1 push deferred");

		routing.advance(Duration.ofMinutes(5));
		routing.cancel(event);

		assertThat(summary(routing.statuses())).containsExactlyInAnyOrder("u-1 inapp cancelled cancelled_by_api",
				"u-1 push cancelled cancelled_by_api");
		assertThat(routing.held()).containsExactly(0, 0);
		routing.advanceTo(sendAt.plus(Duration.ofHours(1)));
		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.statuses()).isEmpty();
	}

	@Test
	void shouldCancelTheQuietHoursDeferralsOfEveryRecipientWhicheverPartitionHoldsThem() {
		Instant lateEvening = Instant.parse("2026-03-10T22:30:00Z");
		RoutingDriver routing = start(lateEvening);
		String[] users = RoutingDriver.users(40);
		for (String user : users) {
			routing.preferences(user, new Preferences(Map.of(), Map.of(), NIGHT));
		}
		assertThat(Arrays.stream(users)
			.map((user) -> RoutingDriver.kafkaPartition(PartitionKeys.user("acme", user)))
			.distinct()
			.count()).as("partitions of the recipients").isGreaterThan(5);
		EventAccepted event = event("e-1", lateEvening).users(users).channels(Channel.INAPP).build();
		routing.event(event);
		assertThat(routing.statuses()).hasSize(users.length)
			.allSatisfy((status) -> assertThat(status.state().wireName()).isEqualTo("deferred"));

		routing.cancel(event);

		assertThat(routing.statuses()).hasSize(users.length).allSatisfy((status) -> {
			assertThat(status.state().wireName()).isEqualTo("cancelled");
			assertThat(status.reason()).isEqualTo(EventCancelled.BY_API);
		}).extracting(StatusReported::userId).containsExactlyInAnyOrder(users);
		routing.advanceTo(Instant.parse("2026-03-11T06:00:01Z"));
		assertThat(routing.deliveries()).isEmpty();
	}

	@Test
	void shouldCancelAHeldFanOutOnEveryPartition() {
		RoutingDriver routing = start(NOON);
		String[] users = RoutingDriver.users(30);
		for (String user : users) {
			routing.subscribe("acme", user, "deals");
		}
		Instant sendAt = NOON.plus(Duration.ofHours(2));
		EventAccepted event = event("e-1", NOON).topic("deals").channels(Channel.INAPP).sendAt(sendAt).build();
		routing.event(event);
		assertThat(routing.statuses()).hasSize(users.length);

		routing.cancel(event);

		assertThat(routing.statuses()).extracting(StatusReported::userId).containsExactlyInAnyOrder(users);
		routing.advanceTo(sendAt.plusSeconds(1));
		assertThat(routing.deliveries()).isEmpty();
	}

	@Test
	void shouldReportTheCancelledDeliveriesOfAHeldFanOutInBatchesOfUsers() {
		RoutingDriver routing = start(NOON);
		String[] users = RoutingDriver.users(60);
		for (String user : users) {
			routing.reachableUser(user);
			routing.subscribe("acme", user, "deals");
		}
		long partitions = Arrays.stream(users)
			.map((user) -> RoutingDriver.kafkaPartition(PartitionKeys.user("acme", user)))
			.distinct()
			.count();
		EventAccepted event = event("e-1", NOON).topic("deals")
			.channels(Channel.INAPP, Channel.PUSH)
			.sendAt(NOON.plus(Duration.ofHours(2)))
			.build();
		routing.event(event);
		routing.statuses();

		routing.cancel(event);

		List<TestRecord<String, StatusReported>> records = routing.statusRecords();
		// One record per partition and channel, not one per user and channel.
		assertThat(records).hasSizeLessThanOrEqualTo((int) partitions * 2);
		assertThat(records).allSatisfy((record) -> {
			assertThat(record.key()).isEqualTo(PartitionKeys.event("acme", "e-1"));
			assertThat(record.value().state().wireName()).isEqualTo("cancelled");
		});
		List<StatusReported> statuses = records.stream()
			.flatMap((record) -> record.value().perUser().stream())
			.toList();
		assertThat(statuses).hasSize(users.length * 2).allSatisfy((status) -> {
			assertThat(status.state().wireName()).isEqualTo("cancelled");
			assertThat(status.reason()).isEqualTo(EventCancelled.BY_API);
		});
		assertThat(statuses).filteredOn((status) -> status.channel() == Channel.INAPP)
			.extracting(StatusReported::userId)
			.containsExactlyInAnyOrder(users);
		assertThat(statuses).filteredOn((status) -> status.channel() == Channel.PUSH)
			.extracting(StatusReported::userId)
			.containsExactlyInAnyOrder(users);
	}

	@Test
	void shouldNotDeliverACopyOfTheEventRoutedAfterItsCancellation() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		EventAccepted event = event("e-1", NOON).users("u-1").channels(Channel.INAPP, Channel.EMAIL).build();
		routing.cancel(event);
		assertThat(routing.statuses()).isEmpty();

		routing.event(event);

		assertThat(routing.deliveries()).isEmpty();
		assertThat(summary(routing.statuses())).containsExactlyInAnyOrder("u-1 inapp cancelled cancelled_by_api",
				"u-1 email cancelled cancelled_by_api");
	}

	@Test
	void shouldReportACopyThatWouldNotGoOutAnywayAsItWouldWithoutTheCancellation() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		EventAccepted expired = event("e-1", NOON).users("u-1")
			.channels(Channel.EMAIL)
			.expiresAt(NOON.minusSeconds(1))
			.build();
		routing.cancel(expired);

		routing.event(expired);

		// The cancellation is looked up only for a delivery about to be held or sent.
		assertThat(summary(routing.statuses())).containsExactly("u-1 email expired expires_at");
		assertThat(routing.deliveries()).isEmpty();
	}

	@Test
	void shouldLeaveWhatWasAlreadyRoutedToItsLanes() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		EventAccepted event = event("e-1", NOON).users("u-1").channels(Channel.EMAIL).build();
		routing.event(event);
		assertThat(routing.deliveries()).extracting(DeliverNotification::userId).containsExactly("u-1");
		routing.statuses();

		routing.cancel(event);

		assertThat(routing.statuses()).isEmpty();
		assertThat(routing.deliveries()).isEmpty();
	}

	@Test
	void shouldChangeNothingWhenACancellationIsAppliedAgain() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		EventAccepted event = event("e-1", NOON).users("u-1")
			.channels(Channel.INAPP)
			.sendAt(NOON.plus(Duration.ofHours(1)))
			.build();
		routing.event(event);
		routing.cancel(event);
		assertThat(routing.statuses()).hasSize(2);

		routing.cancel(event);

		assertThat(routing.statuses()).isEmpty();
		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.meters.get("herald.routing.cancellations").tag("outcome", "again").counters()).isNotEmpty();
	}

	@Test
	void shouldCancelOnlyTheEventItNames() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		Instant sendAt = NOON.plus(Duration.ofMinutes(10));
		EventAccepted cancelled = event("e-1", NOON).users("u-1").channels(Channel.INAPP).sendAt(sendAt).build();
		EventAccepted kept = event("e-10", NOON).users("u-1").channels(Channel.INAPP).sendAt(sendAt).build();
		routing.event(cancelled);
		routing.event(kept);
		routing.statuses();

		routing.cancel(cancelled);
		routing.advanceTo(sendAt.plusSeconds(1));

		assertThat(routing.deliveries()).extracting(DeliverNotification::eventId).containsExactly("e-10");
	}

	@Test
	void shouldRefuseACancellationKeyedToAnotherTenant() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		Instant sendAt = NOON.plus(Duration.ofMinutes(10));
		EventAccepted event = event("e-1", NOON).users("u-1").channels(Channel.INAPP).sendAt(sendAt).build();
		routing.event(event);
		routing.statuses();

		routing.cancel("globex|e-1",
				new EventCancelled(EventCancelled.SCHEMA_VERSION, "acme", "e-1", NOON, EventCancelled.BY_API));
		routing.advanceTo(sendAt.plusSeconds(1));

		assertThat(routing.deliveries()).extracting(DeliverNotification::eventId).containsExactly("e-1");
	}

	@Test
	void shouldForgetACancellationAfterItsRetention() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		EventAccepted event = event("e-1", NOON).users("u-1").channels(Channel.INAPP).build();
		routing.cancel(event);
		routing.advance(RoutingProperties.defaults().cancellationRetention().plus(Router.PURGE_INTERVAL));

		routing.event(event);

		assertThat(routing.deliveries()).extracting(DeliverNotification::eventId).containsExactly("e-1");
	}

	@Test
	void shouldRetractAnInAppNotificationFromEachRecipientOnceInTheLaneOfItsPriority() {
		RoutingDriver routing = start(NOON);
		String[] users = RoutingDriver.users(40);
		EventAccepted event = event("e-1", NOON).users(users).priority(Priority.HIGH).channels(Channel.INAPP).build();
		routing.event(event);
		assertThat(routing.deliveries()).hasSize(users.length);

		routing.cancel(event);

		List<TestRecord<String, RetractNotification>> retractions = routing.retractions();
		assertThat(retractions).flatExtracting((record) -> record.value().users()).containsExactlyInAnyOrder(users);
		assertThat(retractions).allSatisfy((record) -> {
			RetractNotification retraction = record.value();
			assertThat(record.key()).isEqualTo(retraction.key());
			assertThat(retraction.eventId()).isEqualTo("e-1");
			assertThat(retraction.reason()).isEqualTo(EventCancelled.BY_API);
			assertThat(retraction.users())
				.extracting((user) -> UserPartitions.of(PartitionKeys.user("acme", user), RoutingDriver.PARTITIONS))
				.containsOnly(UserPartitions.of(record.key(), RoutingDriver.PARTITIONS));
			assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.CE_TYPE))
				.isEqualTo(RetractNotification.CLOUD_EVENT_TYPE);
		});
		assertThat(routing.lane(Channel.INAPP, Lane.PRIORITY)).isEmpty();
		assertThat(routing.meters.get("herald.routing.retractions").counter().count()).isEqualTo(users.length);
	}

	@Test
	void shouldRetractAFanOutFromTheSubscribersOfEveryPartition() {
		RoutingDriver routing = start(NOON);
		String[] users = RoutingDriver.users(30);
		for (String user : users) {
			routing.subscribe("acme", user, "deals");
		}
		EventAccepted event = event("e-1", NOON).topic("deals").channels(Channel.INAPP).build();
		routing.event(event);
		routing.deliveries();

		routing.cancel(event);

		assertThat(routing.retractions()).flatExtracting((record) -> record.value().users())
			.containsExactlyInAnyOrder(users);
	}

	@Test
	void shouldRetractNothingOfAnEventWithoutInAppOrWhoseRecipientsAreUnknown() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		EventAccepted email = event("e-1", NOON).users("u-1").channels(Channel.EMAIL).build();
		EventAccepted inApp = event("e-2", NOON).users("u-1").channels(Channel.INAPP).build();
		routing.event(email);
		routing.event(inApp);
		routing.deliveries();

		routing.cancel(email);
		routing.cancel(PartitionKeys.eventLog(inApp),
				new EventCancelled(EventCancelled.SCHEMA_VERSION, "acme", "e-2", NOON, EventCancelled.BY_API));

		assertThat(routing.retractions()).isEmpty();
	}

	private RoutingDriver start(Instant now) {
		this.routing = new RoutingDriver(now);
		return this.routing;
	}

	private static List<String> summary(List<StatusReported> statuses) {
		return statuses.stream()
			.map((status) -> status.userId() + " " + status.channel().wireName() + " " + status.state().wireName()
					+ ((status.reason() != null && !status.state().wireName().equals("deferred"))
							? " " + status.reason() : ""))
			.toList();
	}

}
