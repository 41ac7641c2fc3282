package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.ChannelContent;
import io.herald.events.ChannelMessage;
import io.herald.events.Content;
import io.herald.events.DeliverNotification;
import io.herald.events.EventAccepted;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.Preferences;
import io.herald.events.Preferences.CategoryRule;
import io.herald.events.Preferences.QuietHours;
import io.herald.events.Priority;
import io.herald.events.Profile;
import io.herald.events.ProfilePatch;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.herald.routing.topology.TestEvents.TENANT;
import static io.herald.routing.topology.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

class RoutingTopologyTests {

	/** A Tuesday, 13:00 in Berlin. */
	private static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");

	private static final QuietHours NIGHT = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0));

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String PARENT_SPAN = "00f067aa0ba902b7";

	private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01";

	@AutoClose
	private RoutingDriver routing;

	private RoutingDriver start(Instant now) {
		this.routing = new RoutingDriver(now);
		return this.routing;
	}

	// user state

	@Test
	void shouldFoldUserCommandsIntoUserState() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.subscribe(TENANT, "u-1", "deals");
		routing.preferences("u-1", new Preferences(Map.of(Channel.SMS, false), Map.of(), NIGHT));

		UserState state = userStates().get("acme|u-1");
		assertThat(state).isNotNull();
		assertThat(state.profile().email()).isEqualTo("u-1@example.com");
		assertThat(state.devices()).singleElement()
			.extracting((device) -> device.token())
			.asString()
			.startsWith("token-u-1");
		assertThat(state.topics()).containsExactly("deals");
		assertThat(state.preferences().quietHours()).isEqualTo(NIGHT);
		assertThat(subscribers().get("acme|deals|u-1")).isEqualTo("u-1");
	}

	@Test
	void shouldEraseUserAndTheirSubscriptions() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.subscribe(TENANT, "u-1", "deals");
		routing.command(new UserCommand.EraseUser(1, TENANT, "u-1", NOON));

		assertThat(userStates().get("acme|u-1")).isNull();
		assertThat(subscribers().get("acme|deals|u-1")).isNull();
	}

	@Test
	void shouldMergeProfilesInCommandOrderAndApplyConditionalWritesOnlyToTheProfileTheyName() {
		RoutingDriver routing = start(NOON);
		Profile ada = new Profile("ada@example.com", null, "de-DE", null);
		routing.profile("u-1", ada);
		String tag = ada.entityTag();
		// Two writers read the same profile and merge different fields: both hold.
		routing.command(new UserCommand.MergeProfile(2, TENANT, "u-1", NOON,
				new ProfilePatch(new Profile(null, "+4915112345678", null, null), Set.of()), null));
		routing.command(new UserCommand.MergeProfile(2, TENANT, "u-1", NOON,
				new ProfilePatch(new Profile(null, null, null, "Europe/Berlin"), Set.of("locale")), null));
		Profile merged = new Profile("ada@example.com", "+4915112345678", null, "Europe/Berlin");
		assertThat(userStates().get("acme|u-1").profile()).isEqualTo(merged);
		// Two writers replace the profile they read: the second one's If-Match no longer
		// holds.
		routing.command(new UserCommand.UpsertProfile(2, TENANT, "u-1", NOON, Profile.EMPTY,
				new UserCommand.Condition("first", Set.of(merged.entityTag()))));
		routing.command(new UserCommand.UpsertProfile(2, TENANT, "u-1", NOON, ada,
				new UserCommand.Condition("second", Set.of(merged.entityTag(), tag))));
		UserState state = userStates().get("acme|u-1");
		assertThat(state.profile()).isEqualTo(Profile.EMPTY);
		assertThat(state.verdicts()).containsExactly(new UserState.Verdict("first", true),
				new UserState.Verdict("second", false));
	}

	@Test
	void shouldNeverCreateAUserForAConditionalWrite() {
		RoutingDriver routing = start(NOON);
		routing.command(new UserCommand.MergeProfile(2, TENANT, "u-9", NOON,
				new ProfilePatch(new Profile("x@example.com", null, null, null), Set.of()),
				new UserCommand.Condition("r-1", Set.of())));

		assertThat(userStates().get("acme|u-9")).isNull();
		assertThat(routing.deadLetters(Topics.USER_COMMANDS.name())).isEmpty();
	}

	@Test
	void shouldRemoveSubscriptionOnUnsubscribe() {
		RoutingDriver routing = start(NOON);
		routing.subscribe(TENANT, "u-1", "deals");
		routing.command(new UserCommand.Unsubscribe(1, TENANT, "u-1", NOON, "deals"));

		assertThat(subscribers().get("acme|deals|u-1")).isNull();
		assertThat(userStates().get("acme|u-1").topics()).isEmpty();
	}

	@Test
	void shouldGiveACriticalNotificationFallbacksForTheOtherChannelsTheUserCanReceive() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.event(event("e-1", NOON).users("u-1").priority(Priority.CRITICAL).channels(Channel.PUSH).build());

		assertThat(routing.lane(Channel.PUSH, Lane.CRITICAL)).singleElement().satisfies((record) -> {
			List<ChannelMessage> fallbacks = record.value().fallbacks();
			assertThat(fallbacks).extracting(ChannelMessage::channel).containsExactly(Channel.SMS, Channel.EMAIL);
			assertThat(((ChannelMessage.Email) fallbacks.get(1)).to()).isEqualTo("u-1@example.com");
		});
	}

	@Test
	void shouldGiveNoFallbacksBelowCritical() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.event(event("e-1", NOON).users("u-1").priority(Priority.HIGH).channels(Channel.PUSH).build());

		assertThat(routing.lane(Channel.PUSH, Lane.PRIORITY)).singleElement()
			.satisfies((record) -> assertThat(record.value().fallbacks()).isEmpty());
	}

	// explicit users, channels and lanes

	@Test
	void shouldDeliverOnEveryChannelOfAReachableUserInThePriorityLane() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.event(event("e-1", NOON).users("u-1").priority(Priority.HIGH).build());

		assertThat(routing.lane(Channel.INAPP, Lane.PRIORITY)).singleElement().satisfies((record) -> {
			assertThat(record.key()).isEqualTo("acme|u-1");
			assertThat(record.value().message())
				.isEqualTo(new ChannelMessage.InApp("Shipped", "Order 981 is on its way"));
			assertThat(record.value().notificationId())
				.isEqualTo(DeliverNotification.notificationId("e-1", "u-1", Channel.INAPP));
			assertThat(header(record, HeaderNames.CE_TYPE)).isEqualTo("io.herald.notification.deliver.v1");
			assertThat(header(record, HeaderNames.CE_ID)).isEqualTo(record.value().notificationId());
			assertThat(header(record, HeaderNames.CE_SUBJECT)).isEqualTo("order.shipped");
		});
		assertThat(routing.lane(Channel.PUSH, Lane.PRIORITY)).singleElement()
			.satisfies((record) -> assertThat(((ChannelMessage.Push) record.value().message()).devices()).hasSize(1));
		assertThat(routing.lane(Channel.EMAIL, Lane.PRIORITY)).singleElement()
			.satisfies((record) -> assertThat(((ChannelMessage.Email) record.value().message()).to())
				.isEqualTo("u-1@example.com"));
		assertThat(routing.lane(Channel.SMS, Lane.PRIORITY)).singleElement()
			.satisfies((record) -> assertThat(((ChannelMessage.Sms) record.value().message()).to())
				.isEqualTo("+4915100000001"));
		assertThat(routing.deliveries()).isEmpty();
		assertThat(summary(routing.statuses())).containsExactlyInAnyOrder("u-1 inapp queued", "u-1 push queued",
				"u-1 email queued", "u-1 sms queued");
	}

	@Test
	void shouldUseTheBulkLaneForNormalPriority() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.event(event("e-1", NOON).users("u-1").priority(Priority.LOW).channels(Channel.PUSH).build());

		assertThat(routing.lane(Channel.PUSH, Lane.BULK)).hasSize(1);
		assertThat(routing.lane(Channel.PUSH, Lane.PRIORITY)).isEmpty();
	}

	@Test
	void shouldDeliverOnlyInAppToAUserNobodyRegistered() {
		RoutingDriver routing = start(NOON);
		routing.event(event("e-1", NOON).users("stranger").build());

		assertThat(routing.deliveries()).singleElement()
			.satisfies((delivery) -> assertThat(delivery.channel()).isEqualTo(Channel.INAPP));
		assertThat(summary(routing.statuses())).containsExactlyInAnyOrder("stranger inapp queued",
				"stranger push suppressed no_device", "stranger email suppressed no_email",
				"stranger sms suppressed no_phone");
	}

	@Test
	void shouldRouteEachNamedUserOnItsOwnKey() {
		RoutingDriver routing = start(NOON);
		routing.event(event("e-1", NOON).users("u-1", "u-2", "u-3").channels(Channel.INAPP).build());

		assertThat(routing.lane(Channel.INAPP, Lane.BULK)).extracting(TestRecord::key)
			.containsExactlyInAnyOrder("acme|u-1", "acme|u-2", "acme|u-3");
	}

	@Test
	void shouldUsePerChannelContentOverrides() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.event(event("e-1", NOON).users("u-1")
			.channels(Channel.SMS, Channel.EMAIL)
			.content(new Content("Shipped", "Long body",
					Map.of(Channel.SMS, new ChannelContent(null, "Short", null), Channel.EMAIL,
							new ChannelContent("Subject", null, "<b>Long</b>"))))
			.build());

		assertThat(routing.deliveries()).extracting(DeliverNotification::message)
			.containsExactlyInAnyOrder(new ChannelMessage.Sms("+4915100000001", "Short"),
					new ChannelMessage.Email("u-1@example.com", "Subject", "Long body", "<b>Long</b>"));
	}

	// preferences

	@Test
	void shouldSuppressChannelsTheUserSwitchedOff() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.preferences("u-1", new Preferences(Map.of(Channel.EMAIL, false, Channel.SMS, false), Map.of(), null));
		routing.event(event("e-1", NOON).users("u-1").build());

		assertThat(routing.deliveries()).extracting(DeliverNotification::channel)
			.containsExactlyInAnyOrder(Channel.INAPP, Channel.PUSH);
		assertThat(summary(routing.statuses())).contains("u-1 email suppressed preference",
				"u-1 sms suppressed preference");
	}

	@Test
	void shouldApplyTheMostSpecificCategoryRule() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.preferences("u-1", new Preferences(Map.of(),
				Map.of("*", new CategoryRule(null, Set.of(Channel.INAPP)), "marketing.*", new CategoryRule(false, null),
						"marketing.digest", new CategoryRule(true, Set.of(Channel.EMAIL)), "order.*",
						new CategoryRule(null, Set.of(Channel.PUSH, Channel.INAPP))),
				null));

		routing.event(event("e-1", NOON).users("u-1").type("marketing.spring-sale").build());
		assertThat(routing.deliveries()).isEmpty();
		assertThat(summary(routing.statuses())).containsOnly("u-1 inapp suppressed preference",
				"u-1 push suppressed preference", "u-1 email suppressed preference", "u-1 sms suppressed preference");

		routing.event(event("e-2", NOON).users("u-1").type("marketing.digest").build());
		assertThat(routing.deliveries()).extracting(DeliverNotification::channel).containsExactly(Channel.EMAIL);

		routing.event(event("e-3", NOON).users("u-1").type("order.shipped").build());
		assertThat(routing.deliveries()).extracting(DeliverNotification::channel)
			.containsExactlyInAnyOrder(Channel.PUSH, Channel.INAPP);

		routing.event(event("e-4", NOON).users("u-1").type("account.login").build());
		assertThat(routing.deliveries()).extracting(DeliverNotification::channel).containsExactly(Channel.INAPP);
	}

	@Test
	void shouldDeliverOnlyOnTheChannelsTheEventAsksFor() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.event(event("e-1", NOON).users("u-1").channels(Channel.EMAIL, Channel.INAPP).build());

		assertThat(routing.deliveries()).extracting(DeliverNotification::channel)
			.containsExactlyInAnyOrder(Channel.EMAIL, Channel.INAPP);
		assertThat(summary(routing.statuses())).containsExactlyInAnyOrder("u-1 email queued", "u-1 inapp queued");
	}

	// dedup and expiry

	@Test
	void shouldRouteAnEventWrittenTwiceOnlyOnce() {
		RoutingDriver routing = start(NOON);
		EventAccepted event = event("e-1", NOON).users("u-1", "u-2")
			.channels(Channel.INAPP)
			.idempotencyKey("k-1")
			.build();
		routing.event(event);
		routing.advance(Duration.ofMinutes(5));
		routing.event(event);

		assertThat(routing.deliveries()).extracting(DeliverNotification::userId)
			.containsExactlyInAnyOrder("u-1", "u-2");
		assertThat(routing.meters.get("herald.routing.duplicates").counter().count()).isEqualTo(2);
	}

	@Test
	void shouldRouteTheSameEventToDifferentUsers() {
		RoutingDriver routing = start(NOON);
		routing.event(event("e-1", NOON).users("u-1").channels(Channel.INAPP).build());
		routing.event(event("e-1", NOON).users("u-2").channels(Channel.INAPP).build());

		assertThat(routing.deliveries()).extracting(DeliverNotification::userId).containsExactly("u-1", "u-2");
	}

	@Test
	void shouldExpireAnEventPastItsExpiry() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.event(event("e-1", NOON.minusSeconds(3600)).users("u-1")
			.channels(Channel.INAPP, Channel.PUSH)
			.expiresAt(NOON.minusSeconds(1))
			.build());

		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.statuses()).extracting(RoutingTopologyTests::summary)
			.containsExactlyInAnyOrder("u-1 inapp expired expires_at", "u-1 push expired expires_at");
	}

	// trace context

	@Test
	void shouldContinueTheEventsTraceWithOneSpanPerUserOnEveryOutput() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.event(event("e-1", NOON).users("u-1", "u-2").priority(Priority.HIGH).build(), TRACEPARENT);

		List<TestRecord<String, DeliverNotification>> lane = routing.lane(Channel.INAPP, Lane.PRIORITY);
		List<TestRecord<String, StatusReported>> statuses = routing.statusRecords();
		assertThat(lane).hasSize(2);
		assertThat(statuses).hasSize(8);
		String first = spanOf(lane.get(0));
		String second = spanOf(lane.get(1));
		assertThat(first).isNotEqualTo(PARENT_SPAN).isNotEqualTo(second);
		assertThat(second).isNotEqualTo(PARENT_SPAN);
		assertThat(statuses).allSatisfy((record) -> assertThat(spanOf(record)).isIn(first, second));
		assertThat(statuses).filteredOn((record) -> record.value().userId().equals(lane.get(0).value().userId()))
			.allSatisfy((record) -> assertThat(spanOf(record)).isEqualTo(first));
	}

	@Test
	void shouldStartATraceForAnEventWithoutOne() {
		RoutingDriver routing = start(NOON);
		routing.event(event("e-1", NOON).users("u-1").build());

		assertThat(routing.lane(Channel.INAPP, Lane.BULK)).singleElement()
			.satisfies((record) -> assertThat(header(record, HeaderNames.TRACEPARENT))
				.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}"));
	}

	@Test
	void shouldContinueTheTraceOfAHeldDeliveryWhenItIsReleased() {
		Instant lateEvening = Instant.parse("2026-03-10T22:30:00Z");
		RoutingDriver routing = start(lateEvening);
		routing.reachableUser("u-1");
		routing.preferences("u-1", new Preferences(Map.of(), Map.of(), NIGHT));
		routing.event(event("e-1", lateEvening).users("u-1").channels(Channel.EMAIL).build(), TRACEPARENT);
		String held = spanOf(routing.statusRecords().get(0));

		routing.advanceTo(Instant.parse("2026-03-11T06:00:01Z"));
		assertThat(routing.lane(Channel.EMAIL, Lane.BULK)).singleElement()
			.satisfies((record) -> assertThat(spanOf(record)).isNotEqualTo(held).isNotEqualTo(PARENT_SPAN));
	}

	// quiet hours and sendAt

	@Test
	void shouldDeferDuringQuietHoursCrossingMidnightAndReleaseAtTheEndOfTheWindow() {
		// 23:30 in Berlin (CET, UTC+1); quiet hours end at 07:00 local = 06:00Z the next
		// day.
		Instant lateEvening = Instant.parse("2026-03-10T22:30:00Z");
		RoutingDriver routing = start(lateEvening);
		routing.reachableUser("u-1");
		routing.preferences("u-1", new Preferences(Map.of(), Map.of(), NIGHT));
		routing.event(event("e-1", lateEvening).users("u-1").channels(Channel.PUSH, Channel.INAPP).build());

		Instant endOfWindow = Instant.parse("2026-03-11T06:00:00Z");
		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.statuses()).allSatisfy((status) -> {
			assertThat(status.state().wireName()).isEqualTo("deferred");
			assertThat(status.reason()).isEqualTo("quiet_hours");
			assertThat(status.until()).isEqualTo(endOfWindow);
		}).hasSize(2);

		routing.advanceTo(endOfWindow.minusSeconds(2));
		assertThat(routing.deliveries()).isEmpty();

		routing.advanceTo(endOfWindow.plusMillis(500));
		assertThat(routing.deliveries()).extracting(DeliverNotification::channel)
			.containsExactlyInAnyOrder(Channel.PUSH, Channel.INAPP);
		assertThat(summary(routing.statuses())).containsExactlyInAnyOrder("u-1 push queued", "u-1 inapp queued");
		routing.advance(Duration.ofHours(1));
		assertThat(routing.deliveries()).isEmpty();
	}

	@Test
	void shouldNeverReleaseADeliveryHeldForAUserWhoWasErased() {
		Instant lateEvening = Instant.parse("2026-03-10T22:30:00Z");
		RoutingDriver routing = start(lateEvening);
		routing.reachableUser("u-1");
		routing.reachableUser("u-2");
		routing.preferences("u-1", new Preferences(Map.of(), Map.of(), NIGHT));
		routing.preferences("u-2", new Preferences(Map.of(), Map.of(), NIGHT));
		routing.event(event("e-1", lateEvening).users("u-1", "u-2").channels(Channel.INAPP).build());
		routing.statuses();

		routing.command(new UserCommand.EraseUser(1, TestEvents.TENANT, "u-1", lateEvening.plusSeconds(60)));
		routing.advanceTo(Instant.parse("2026-03-11T06:00:01Z"));

		assertThat(routing.deliveries()).extracting(DeliverNotification::userId).containsExactly("u-2");
	}

	@Test
	void shouldReleaseAtTheEndOfQuietHoursOnTheNightClocksSpringForward() {
		// 2026-03-29 in Berlin: 02:00 CET becomes 03:00 CEST; 07:00 CEST is 05:00Z.
		Instant night = Instant.parse("2026-03-29T00:30:00Z");
		assertReleasedAt(night, Instant.parse("2026-03-29T05:00:00Z"));
	}

	@Test
	void shouldReleaseAtTheEndOfQuietHoursOnTheNightClocksFallBack() {
		// 2026-10-25 in Berlin: 03:00 CEST becomes 02:00 CET; 07:00 CET is 06:00Z.
		Instant night = Instant.parse("2026-10-25T00:30:00Z");
		assertReleasedAt(night, Instant.parse("2026-10-25T06:00:00Z"));
	}

	private void assertReleasedAt(Instant eventTime, Instant endOfWindow) {
		RoutingDriver routing = start(eventTime);
		routing.profile("u-1", new Profile(null, null, null, "Europe/Berlin"));
		routing.preferences("u-1", new Preferences(Map.of(), Map.of(), NIGHT));
		routing.event(event("e-1", eventTime).users("u-1").channels(Channel.INAPP).build());
		assertThat(routing.statuses()).singleElement()
			.satisfies((status) -> assertThat(status.until()).isEqualTo(endOfWindow));

		routing.advanceTo(endOfWindow.minusSeconds(2));
		assertThat(routing.deliveries()).isEmpty();
		routing.advanceTo(endOfWindow.plusSeconds(1));
		assertThat(routing.deliveries()).hasSize(1);
	}

	@Test
	void shouldHoldUntilSendAt() {
		RoutingDriver routing = start(NOON);
		Instant sendAt = NOON.plus(Duration.ofMinutes(30));
		routing.event(event("e-1", NOON).users("u-1").channels(Channel.INAPP).sendAt(sendAt).build());

		assertThat(routing.statuses()).singleElement().satisfies((status) -> {
			assertThat(summary(status)).isEqualTo("u-1 inapp deferred send_at");
			assertThat(status.until()).isEqualTo(sendAt);
		});
		routing.advanceTo(sendAt.minusSeconds(1));
		assertThat(routing.deliveries()).isEmpty();
		routing.advanceTo(sendAt.plusSeconds(1));
		assertThat(routing.deliveries()).singleElement()
			.satisfies((delivery) -> assertThat(delivery.createdAt()).isAfterOrEqualTo(sendAt));
	}

	@Test
	void shouldKeepAReleasedDeliveryUntilItSettlesAndReleaseItOnce() {
		RoutingDriver routing = start(NOON);
		Instant sendAt = NOON.plus(Duration.ofMinutes(30));
		EventAccepted event = event("e-1", NOON).users("u-1").channels(Channel.INAPP).sendAt(sendAt).build();
		routing.event(event);
		routing.statuses();
		routing.advanceTo(sendAt.plusSeconds(1));
		assertThat(routing.deliveries()).hasSize(1);
		assertThat(routing.held()).containsExactly(0, 0);
		assertThat(routing.released()).isOne();
		assertThat(routing.statuses()).singleElement()
			.satisfies((status) -> assertThat(summary(status)).isEqualTo("u-1 inapp queued"));

		// No longer held for a cancellation, as before the release was kept.
		routing.cancel(event);
		assertThat(routing.statuses()).isEmpty();
		// Three commit intervals (30 s each here): released once, then settled.
		for (int step = 0; step < 8; step++) {
			routing.advance(Duration.ofSeconds(10));
		}
		assertThat(routing.released()).isOne();
		routing.advance(Duration.ofSeconds(15));
		assertThat(routing.released()).isZero();
		assertThat(routing.deliveries()).isEmpty();
	}

	@Test
	void shouldHoldAgainForQuietHoursWhenSendAtFallsIntoThem() {
		Instant evening = Instant.parse("2026-03-10T20:00:00Z");
		RoutingDriver routing = start(evening);
		routing.profile("u-1", new Profile(null, null, null, "Europe/Berlin"));
		routing.preferences("u-1", new Preferences(Map.of(), Map.of(), NIGHT));
		Instant sendAt = Instant.parse("2026-03-10T23:00:00Z");
		routing.event(event("e-1", evening).users("u-1").channels(Channel.INAPP).sendAt(sendAt).build());
		assertThat(summary(routing.statuses())).containsExactly("u-1 inapp deferred send_at");

		routing.advanceTo(sendAt.plusSeconds(1));
		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.statuses()).singleElement().satisfies((status) -> {
			assertThat(status.reason()).isEqualTo("quiet_hours");
			assertThat(status.until()).isEqualTo(Instant.parse("2026-03-11T06:00:00Z"));
		});
	}

	@Test
	void shouldExpireAHeldEventWhoseExpiryPassesWhileHeld() {
		RoutingDriver routing = start(NOON);
		routing.event(event("e-1", NOON).users("u-1")
			.channels(Channel.INAPP)
			.sendAt(NOON.plusSeconds(600))
			.expiresAt(NOON.plusSeconds(300))
			.build());
		assertThat(summary(routing.statuses())).containsExactly("u-1 inapp deferred send_at");

		routing.advanceTo(NOON.plusSeconds(299));
		assertThat(routing.statuses()).isEmpty();
		// Expired when it expires, not when sendAt comes.
		routing.advanceTo(NOON.plusSeconds(301));
		assertThat(routing.deliveries()).isEmpty();
		assertThat(summary(routing.statuses())).containsExactly("u-1 inapp expired expires_at");

		routing.advance(Duration.ofMinutes(11));
		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.statuses()).isEmpty();
	}

	@Test
	void shouldExpireADeliveryDeferredByQuietHoursWhenItExpiresAndNeverSendIt() {
		// 23:30 in Berlin, quiet until 06:00Z; the event expires at 23:00Z, in the middle
		// of the night.
		Instant lateEvening = Instant.parse("2026-03-10T22:30:00Z");
		Instant expiry = Instant.parse("2026-03-10T23:00:00Z");
		RoutingDriver routing = start(lateEvening);
		routing.reachableUser("u-1");
		routing.preferences("u-1", new Preferences(Map.of(), Map.of(), NIGHT));
		routing.event(event("e-1", lateEvening).users("u-1").channels(Channel.PUSH).expiresAt(expiry).build());
		assertThat(routing.statuses()).singleElement().satisfies((status) -> {
			assertThat(status.state().wireName()).isEqualTo("deferred");
			assertThat(status.until()).isEqualTo(Instant.parse("2026-03-11T06:00:00Z"));
		});

		routing.advanceTo(expiry.plusMillis(500));
		assertThat(summary(routing.statuses())).containsExactly("u-1 push expired expires_at");

		routing.advanceTo(Instant.parse("2026-03-11T07:00:00Z"));
		assertThat(routing.deliveries()).isEmpty();
		assertThat(routing.statuses()).isEmpty();
	}

	@Test
	void shouldLetCriticalEventsBypassQuietHours() {
		Instant lateEvening = Instant.parse("2026-03-10T22:30:00Z");
		RoutingDriver routing = start(lateEvening);
		routing.reachableUser("u-1");
		routing.preferences("u-1", new Preferences(Map.of(), Map.of(), NIGHT));
		routing.event(event("e-1", lateEvening).users("u-1").priority(Priority.CRITICAL).channels(Channel.SMS).build());

		assertThat(routing.lane(Channel.SMS, Lane.CRITICAL)).hasSize(1);
		assertThat(summary(routing.statuses())).containsExactly("u-1 sms queued");
	}

	// rate limits

	@Test
	void shouldSuppressDeliveriesOverTheRateLimitButNotCriticalOnes() {
		this.routing = RoutingDriver.withTwoSmsAnHour(NOON);
		RoutingDriver routing = this.routing;
		for (int i = 1; i <= 3; i++) {
			routing.event(event("e-" + i, routing.now()).users("u-1").channels(Channel.SMS).build());
			routing.advance(Duration.ofMinutes(1));
		}
		routing.event(event("e-critical", routing.now()).users("u-1")
			.priority(Priority.CRITICAL)
			.channels(Channel.SMS)
			.build());

		assertThat(routing.deliveries()).extracting(DeliverNotification::eventId)
			.containsExactlyInAnyOrder("e-1", "e-2", "e-critical");
		assertThat(summary(routing.statuses())).contains("u-1 sms suppressed rate_limited");
		assertThat(routing.meters.get("herald.routing.deliveries").tag("reason", "rate_limited").counter().count())
			.isEqualTo(1);

		routing.advance(Duration.ofHours(1));
		routing.event(event("e-4", routing.now()).users("u-1").channels(Channel.SMS).build());
		assertThat(routing.deliveries()).extracting(DeliverNotification::eventId).containsExactly("e-4");
	}

	// fan-out

	@Test
	void shouldFanOutATopicEventToItsSubscribers() {
		RoutingDriver routing = start(NOON);
		routing.subscribe(TENANT, "u-1", "deals");
		routing.subscribe(TENANT, "u-2", "deals");
		routing.subscribe(TENANT, "u-3", "news");
		routing.subscribe("other", "u-4", "deals");
		routing.event(event("e-1", NOON).topic("deals").channels(Channel.INAPP).build());

		assertThat(routing.deliveries()).extracting(DeliverNotification::userId)
			.containsExactlyInAnyOrder("u-1", "u-2");
	}

	@Test
	void shouldFanOutToEveryUserOfTheTenantOnly() {
		RoutingDriver routing = start(NOON);
		routing.reachableUser("u-1");
		routing.subscribe(TENANT, "u-2", "news");
		routing.subscribe("acme-two", "u-3", "news");
		routing.event(event("e-1", NOON).all().channels(Channel.INAPP).build());

		assertThat(routing.deliveries()).extracting(DeliverNotification::key)
			.containsExactlyInAnyOrder("acme|u-1", "acme|u-2");
	}

	@Test
	void shouldRouteAFanOutEventWrittenTwiceOnlyOnce() {
		RoutingDriver routing = start(NOON);
		routing.subscribe(TENANT, "u-1", "deals");
		EventAccepted event = event("e-1", NOON).topic("deals").channels(Channel.INAPP).idempotencyKey("k-1").build();
		routing.event(event);
		routing.event(event);

		assertThat(routing.deliveries()).hasSize(1);
	}

	// templates

	@Test
	void shouldRenderTemplatesPerChannelInTheUsersLocale() {
		RoutingDriver routing = start(NOON);
		routing.profile("u-1", new Profile("u-1@example.com", null, "de-DE", null));
		routing.event(event("e-1", NOON).users("u-1")
			.channels(Channel.INAPP, Channel.EMAIL)
			.template(TestTemplates.WELCOME, Map.of("name", "Ada"))
			.build());

		assertThat(routing.deliveries()).extracting(DeliverNotification::message)
			.containsExactlyInAnyOrder(new ChannelMessage.InApp("Willkommen, Ada", "Willkommen on inapp"),
					new ChannelMessage.Email("u-1@example.com", "Willkommen, Ada", "Willkommen on email",
							"<p>Willkommen</p>"));
	}

	@Test
	void shouldSuppressEveryDeliveryOfAnUnknownTemplate() {
		RoutingDriver routing = start(NOON);
		routing.event(event("e-1", NOON).users("u-1", "u-2")
			.channels(Channel.INAPP)
			.template("no-such-template", Map.of())
			.build());

		assertThat(routing.deliveries()).isEmpty();
		assertThat(summary(routing.statuses())).containsExactlyInAnyOrder("u-1 inapp suppressed unknown_template",
				"u-2 inapp suppressed unknown_template");
	}

	@Test
	void shouldSuppressEveryDeliveryOfATemplateThatCannotBeRenderedWithinItsBudget() {
		RoutingDriver routing = start(NOON);
		routing.event(event("e-1", NOON).users("u-1")
			.channels(Channel.INAPP)
			.template(TestTemplates.TOO_LONG, Map.of())
			.build());

		assertThat(routing.deliveries()).isEmpty();
		assertThat(summary(routing.statuses())).containsExactlyInAnyOrder("u-1 inapp suppressed render_failed");
	}

	// poison records

	@Test
	void shouldDeadLetterUndecodableEventsAndKeepRouting() {
		RoutingDriver routing = start(NOON);
		routing.raw(Topics.EVENTS.name(), "acme|e-bad", "{not json".getBytes(StandardCharsets.UTF_8));
		routing.raw(Topics.EVENTS.name(), "acme|e-v9", "{\"schemaVersion\":9}".getBytes(StandardCharsets.UTF_8));
		routing.event(event("e-1", NOON).users("u-1").channels(Channel.INAPP).build());

		List<TestRecord<byte[], byte[]>> deadLetters = routing.deadLetters(Topics.EVENTS.name());
		assertThat(deadLetters).extracting((record) -> rawHeader(record, HeaderNames.DLT_REASON))
			.containsExactly("malformed_json", "unsupported_schema_version");
		assertThat(new String(deadLetters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
		assertThat(routing.deliveries()).hasSize(1);
	}

	@Test
	void shouldDeadLetterUndecodableCommandsAndKeepFolding() {
		RoutingDriver routing = start(NOON);
		routing.raw(Topics.USER_COMMANDS.name(), "acme|u-1", "[]".getBytes(StandardCharsets.UTF_8));
		routing.reachableUser("u-1");

		assertThat(routing.deadLetters(Topics.USER_COMMANDS.name())).singleElement()
			.satisfies((record) -> assertThat(rawHeader(record, HeaderNames.DLT_REASON)).isEqualTo("malformed_json"));
		assertThat(userStates().get("acme|u-1")).isNotNull();
	}

	@Test
	void shouldDeadLetterACommandOnTheWrongKeyAndKeepFolding() {
		RoutingDriver routing = start(NOON);
		UserCommand misplaced = new UserCommand.Subscribe(1, TENANT, "u-1", NOON, "deals");
		routing.raw(Topics.USER_COMMANDS.name(), "acme|u-2", Topics.USER_COMMANDS.codec().encode(misplaced));
		routing.subscribe(TENANT, "u-3", "deals");

		assertThat(routing.deadLetters(Topics.USER_COMMANDS.name())).singleElement().satisfies((record) -> {
			assertThat(rawHeader(record, HeaderNames.DLT_REASON)).isEqualTo("processing_failed");
			assertThat(rawHeader(record, DeadLetterRecords.ORIGINAL_TOPIC)).isEqualTo(Topics.USER_COMMANDS.name());
		});
		assertThat(subscribers().get("acme|deals|u-1")).isNull();
		assertThat(subscribers().get("acme|deals|u-3")).isEqualTo("u-3");
	}

	// helpers

	private KeyValueStore<String, UserState> userStates() {
		return this.routing.driver.getKeyValueStore(RoutingStores.USER_STATE);
	}

	private KeyValueStore<String, String> subscribers() {
		return this.routing.driver.getKeyValueStore(RoutingStores.TOPIC_SUBSCRIBERS);
	}

	private static List<String> summary(List<StatusReported> statuses) {
		return statuses.stream().map(RoutingTopologyTests::summary).toList();
	}

	private static String summary(StatusReported status) {
		return status.userId() + " " + status.channel().wireName() + " " + status.state().wireName()
				+ ((status.reason() != null) ? " " + status.reason() : "");
	}

	private static String header(TestRecord<?, ?> record, String name) {
		return HeaderNames.lastValue(record.headers(), name);
	}

	/**
	 * The span id of a record's {@code traceparent}, which must continue
	 * {@link #TRACE_ID}, sampled.
	 */
	private static String spanOf(TestRecord<?, ?> record) {
		String traceparent = header(record, HeaderNames.TRACEPARENT);
		assertThat(traceparent).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
		return traceparent.substring(36, 52);
	}

	private static String rawHeader(TestRecord<byte[], byte[]> record, String name) {
		return HeaderNames.lastValue(record.headers(), name);
	}

}
