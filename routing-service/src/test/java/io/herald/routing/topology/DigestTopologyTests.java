package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.Content;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.DigestSetting;
import io.herald.events.Preferences;
import io.herald.events.Preferences.CategoryRule;
import io.herald.events.Preferences.QuietHours;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.events.UserCommand;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Digests in the routing topology (docs/adr/036): push, email and SMS of a digested
 * category collect per user and go out as one message per channel at the window's end;
 * in-app goes at once.
 */
class DigestTopologyTests {

	private static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");

	private static final DigestSetting HOURLY_ORDERS = new DigestSetting(DigestSetting.SCHEMA_VERSION,
			TestEvents.TENANT, "order.*", "PT1H", null, null, NOON);

	@AutoClose
	private final RoutingDriver routing = new RoutingDriver(NOON, (tenant,
			category) -> (TestEvents.TENANT.equals(tenant) && category.startsWith("order.")) ? HOURLY_ORDERS : null)
		.reachableUser("u-1");

	@Test
	void shouldSendInAppAtOnceAndOneDigestPerChannelAtTheWindowsEnd() {
		order("e-1", "Order 1 shipped");
		this.routing.advance(Duration.ofMinutes(10));
		order("e-2", "Order 2 shipped");

		assertThat(this.routing.deliveries()).extracting(DeliverNotification::channel)
			.containsExactly(Channel.INAPP, Channel.INAPP);
		List<StatusReported> deferred = this.routing.statuses()
			.stream()
			.filter((status) -> status.state() == DeliveryState.DEFERRED)
			.toList();
		assertThat(deferred).hasSize(6).allSatisfy((status) -> {
			assertThat(status.reason()).isEqualTo(DigestFlush.DIGEST);
			assertThat(status.until()).isEqualTo(NOON.plus(Duration.ofHours(1)));
		});

		this.routing.advance(Duration.ofMinutes(49));
		assertThat(this.routing.deliveries()).isEmpty();
		this.routing.advance(Duration.ofMinutes(2));

		List<DeliverNotification> digests = this.routing.deliveries();
		assertThat(digests).extracting(DeliverNotification::channel)
			.containsExactlyInAnyOrder(Channel.PUSH, Channel.EMAIL, Channel.SMS);
		assertThat(digests).extracting(DeliverNotification::eventId).containsOnly(digests.get(0).eventId());
		assertThat(digests).extracting(DeliverNotification::category).containsOnly("order.*");
		assertThat(digests).allSatisfy((digest) -> assertThat(digest.digestOf()).containsExactly("e-1", "e-2"));
		ChannelMessage.Email email = (ChannelMessage.Email) digests.stream()
			.filter((digest) -> digest.channel() == Channel.EMAIL)
			.findFirst()
			.orElseThrow()
			.message();
		assertThat(email.subject()).isEqualTo("Your digest: 2 new notifications");
		assertThat(email.text()).contains("- Order 1 shipped", "- Order 2 shipped");
		assertThat(this.routing.statuses()).hasSize(6)
			.allSatisfy((status) -> assertThat(status.state()).isEqualTo(DeliveryState.QUEUED))
			.extracting(StatusReported::eventId)
			.containsOnly("e-1", "e-2");

		this.routing.advance(Duration.ofHours(2));
		assertThat(this.routing.deliveries()).isEmpty();
		assertThat(this.routing.digests()).isZero();
	}

	@Test
	void shouldCollectAFanOutIntoEachRecipientsOwnDigest() {
		this.routing.reachableUser("u-2");
		this.routing.subscribe(TestEvents.TENANT, "u-1", "orders");
		this.routing.subscribe(TestEvents.TENANT, "u-2", "orders");
		this.routing.event(TestEvents.event("e-1", NOON).topic("orders").build());

		assertThat(this.routing.deliveries()).extracting(DeliverNotification::channel)
			.containsOnly(Channel.INAPP)
			.hasSize(2);
		assertThat(this.routing.digests()).isEqualTo(2);
		this.routing.advance(Duration.ofMinutes(61));
		List<DeliverNotification> digests = this.routing.deliveries();
		assertThat(digests).hasSize(6);
		assertThat(digests).extracting(DeliverNotification::userId).containsOnly("u-1", "u-2");
		assertThat(digests).extracting(DeliverNotification::eventId)
			.as("one digest per user")
			.containsOnly(digests.get(0).eventId(),
					digests.stream()
						.filter((d) -> !d.userId().equals(digests.get(0).userId()))
						.findFirst()
						.orElseThrow()
						.eventId());
		assertThat(digests).extracting(DeliverNotification::notificationId).doesNotHaveDuplicates();
	}

	@Test
	void shouldDropADigestThatCannotBeSentInsteadOfFailingEveryRelease() {
		DigestSetting broken = new DigestSetting(DigestSetting.SCHEMA_VERSION, TestEvents.TENANT, "order.*", "PT1H",
				null, TestTemplates.BROKEN, NOON);
		try (RoutingDriver routing = new RoutingDriver(NOON, (tenant, category) -> broken)) {
			routing.reachableUser("u-1");
			routing.event(TestEvents.event("e-1", NOON).build());
			routing.advance(Duration.ofMinutes(61));
			routing.advance(Duration.ofSeconds(5));

			assertThat(routing.deliveries()).extracting(DeliverNotification::channel).containsOnly(Channel.INAPP);
			assertThat(routing.digests()).isZero();
			assertThat(routing.meters.get("herald.routing.digests").tag("outcome", "failed").counter().count())
				.isEqualTo(1);
		}
	}

	@Test
	void shouldNeverDigestACriticalEvent() {
		this.routing.event(TestEvents.event("e-1", NOON).priority(Priority.CRITICAL).build());

		assertThat(this.routing.deliveries()).extracting(DeliverNotification::channel)
			.containsExactlyInAnyOrder(Channel.INAPP, Channel.PUSH, Channel.EMAIL, Channel.SMS);
		assertThat(this.routing.digests()).isZero();
	}

	@Test
	void shouldSendAtOnceWhatTheUserTookOutOfTheDigest() {
		this.routing.preferences("u-1",
				new Preferences(Map.of(), Map.of("order.shipped", new CategoryRule(null, null, "off")), null));
		order("e-1", "Order 1 shipped");

		assertThat(this.routing.deliveries()).hasSize(4);
		assertThat(this.routing.digests()).isZero();
	}

	@Test
	void shouldDigestWhatTheUserAskedToDigestOverTheUsersWindow() {
		this.routing.preferences("u-1",
				new Preferences(Map.of(), Map.of("news.*", new CategoryRule(null, null, "PT30M")), null));
		this.routing.event(TestEvents.event("e-1", NOON).type("news.daily").build());

		assertThat(this.routing.deliveries()).extracting(DeliverNotification::channel).containsExactly(Channel.INAPP);
		this.routing.advance(Duration.ofMinutes(31));
		assertThat(this.routing.deliveries()).extracting(DeliverNotification::category)
			.containsOnly("news.*")
			.hasSize(3);
	}

	@Test
	void shouldHoldADueDigestUntilTheUsersQuietHoursEnd() {
		order("e-1", "Order 1 shipped");
		// 13:30 to 15:00 in Berlin: the digest falls due at 14:00 there.
		this.routing.preferences("u-1",
				new Preferences(Map.of(), Map.of(), new QuietHours(LocalTime.of(13, 30), LocalTime.of(15, 0))));
		this.routing.statuses();
		this.routing.deliveries();

		this.routing.advance(Duration.ofMinutes(61));
		assertThat(this.routing.deliveries()).isEmpty();
		assertThat(this.routing.statuses()).hasSize(3).allSatisfy((status) -> {
			assertThat(status.state()).isEqualTo(DeliveryState.DEFERRED);
			assertThat(status.until()).isEqualTo(Instant.parse("2026-03-10T14:00:00Z"));
		});

		this.routing.advanceTo(Instant.parse("2026-03-10T14:00:01Z"));
		assertThat(this.routing.deliveries()).hasSize(3);
	}

	@Test
	void shouldLeaveOutAChannelTurnedOffBeforeTheFlush() {
		order("e-1", "Order 1 shipped");
		this.routing.preferences("u-1", new Preferences(Map.of(Channel.EMAIL, false), Map.of(), null));
		this.routing.statuses();
		this.routing.deliveries();

		this.routing.advance(Duration.ofMinutes(61));
		assertThat(this.routing.deliveries()).extracting(DeliverNotification::channel)
			.containsExactlyInAnyOrder(Channel.PUSH, Channel.SMS);
		assertThat(this.routing.statuses()).filteredOn((status) -> status.channel() == Channel.EMAIL)
			.singleElement()
			.satisfies((status) -> assertThat(status.state()).isEqualTo(DeliveryState.SUPPRESSED));
	}

	@Test
	void shouldDropTheDigestsOfAnErasedUser() {
		order("e-1", "Order 1 shipped");
		assertThat(this.routing.digests()).isOne();
		this.routing.command(new UserCommand.EraseUser(1, TestEvents.TENANT, "u-1", NOON));
		assertThat(this.routing.digests()).isZero();

		this.routing.advance(Duration.ofMinutes(61));
		assertThat(this.routing.deliveries()).filteredOn((delivery) -> delivery.channel() != Channel.INAPP).isEmpty();
	}

	@Test
	void shouldCollectAnEventRoutedAgainOnceEvenAfterItsDigestWentOut() {
		order("e-1", "Order 1 shipped");
		order("e-1", "Order 1 shipped");
		this.routing.advance(Duration.ofMinutes(61));
		List<DeliverNotification> first = this.routing.deliveries()
			.stream()
			.filter((delivery) -> delivery.channel() != Channel.INAPP)
			.toList();
		assertThat(first).hasSize(3);
		assertThat(((ChannelMessage.Push) first.stream()
			.filter((delivery) -> delivery.channel() == Channel.PUSH)
			.findFirst()
			.orElseThrow()
			.message()).title()).isEqualTo("1 new notification");

		// A replay after the flush: not collected into the next digest.
		order("e-1", "Order 1 shipped");
		this.routing.advance(Duration.ofMinutes(61));
		assertThat(this.routing.deliveries()).filteredOn((delivery) -> delivery.channel() != Channel.INAPP).isEmpty();
	}

	@Test
	void shouldListAHundredItemsAndCountTheRest() {
		for (int i = 0; i < PendingDigest.MAX_LISTED + 2; i++) {
			order("e-" + i, "Order " + i + " shipped");
		}
		this.routing.deliveries();
		this.routing.advance(Duration.ofMinutes(61));
		ChannelMessage.Email email = (ChannelMessage.Email) this.routing.deliveries()
			.stream()
			.filter((digest) -> digest.channel() == Channel.EMAIL)
			.findFirst()
			.orElseThrow()
			.message();
		assertThat(email.subject()).isEqualTo("Your digest: 102 new notifications");
		assertThat(email.text()).contains("- Order 99 shipped", "and 2 more").doesNotContain("Order 100 shipped");
		assertThat(this.routing.meters.get("herald.routing.digest.items").summary().totalAmount()).isEqualTo(102);
	}

	@Test
	void shouldWriteOneItemInTheSingularAndSeparateItemsWithoutATrailingSeparator() {
		order("e-1", "Order 1 shipped");
		this.routing.deliveries();
		this.routing.advance(Duration.ofMinutes(61));
		List<DeliverNotification> one = this.routing.deliveries();
		assertThat(message(one, ChannelMessage.Sms.class).body()).isEqualTo("1 new notification: Order 1 shipped");
		assertThat(message(one, ChannelMessage.Push.class)).satisfies((push) -> {
			assertThat(push.title()).isEqualTo("1 new notification");
			assertThat(push.body()).isEqualTo("- Order 1 shipped");
		});
		assertThat(message(one, ChannelMessage.Email.class).subject()).isEqualTo("Your digest: 1 new notification");

		order("e-2", "Order 2 shipped");
		order("e-3", "Order 3 shipped");
		this.routing.deliveries();
		this.routing.advance(Duration.ofMinutes(61));
		List<DeliverNotification> two = this.routing.deliveries();
		assertThat(message(two, ChannelMessage.Sms.class).body())
			.isEqualTo("2 new notifications: Order 2 shipped; Order 3 shipped");
		assertThat(message(two, ChannelMessage.Push.class).body()).isEqualTo("- Order 2 shipped\n- Order 3 shipped");
	}

	private static <M extends ChannelMessage> M message(List<DeliverNotification> digests, Class<M> type) {
		return digests.stream()
			.map(DeliverNotification::message)
			.filter(type::isInstance)
			.map(type::cast)
			.findFirst()
			.orElseThrow();
	}

	@Test
	void shouldUseTheSameIdsWhenADigestOfTheSameWindowIsSentAgain() {
		order("e-1", "Order 1 shipped");
		PendingDigest digest = new PendingDigest(PendingDigest.SCHEMA_VERSION, TestEvents.TENANT, "u-1", "order.*",
				"digest", NOON, NOON, List.of(), Set.of(), null, List.of());
		assertThat(digest.digestId())
			.isEqualTo(new PendingDigest(PendingDigest.SCHEMA_VERSION, TestEvents.TENANT, "u-1", "order.*", "digest",
					NOON, NOON.plusSeconds(60), List.of(), Set.of(), null, List.of())
				.digestId());
		this.routing.advance(Duration.ofMinutes(61));
		assertThat(this.routing.deliveries()).filteredOn((delivery) -> delivery.channel() == Channel.EMAIL)
			.singleElement()
			.satisfies((delivery) -> assertThat(delivery.eventId()).isEqualTo(digest.digestId()));
	}

	@Test
	void shouldKeepADigestThatWentOutUntilItSettlesAndSendItOnce() {
		order("e-1", "Order 1 shipped");
		this.routing.deliveries();
		this.routing.advance(Duration.ofMinutes(61));
		assertThat(this.routing.deliveries()).hasSize(3);
		PendingDigest sent = this.routing.digest("u-1", "order.*");
		assertThat(sent).isNotNull();
		assertThat(sent.isOpen()).isFalse();
		assertThat(sent.sending()).singleElement()
			.satisfies((digest) -> assertThat(digest.items()).extracting(PendingDigest.DigestItem::eventId)
				.containsExactly("e-1"));

		// A new digest opens meanwhile and keeps what is still sending.
		order("e-2", "Order 2 shipped");
		assertThat(this.routing.digest("u-1", "order.*")).satisfies((digest) -> {
			assertThat(digest.isOpen()).isTrue();
			assertThat(digest.sending()).hasSize(1);
		});
		// Three commit intervals (30 s each here): sent once, then settled.
		for (int step = 0; step < 8; step++) {
			this.routing.advance(Duration.ofSeconds(10));
		}
		assertThat(sending()).hasSize(1);
		this.routing.advance(Duration.ofSeconds(15));
		assertThat(sending()).isEmpty();
		assertThat(this.routing.deliveries()).extracting(DeliverNotification::channel).containsExactly(Channel.INAPP);

		this.routing.advance(Duration.ofMinutes(61));
		List<DeliverNotification> next = this.routing.deliveries();
		assertThat(next).hasSize(3)
			.extracting(DeliverNotification::eventId)
			.doesNotContain(sent.sending().get(0).digestId());
		assertThat(next).filteredOn((delivery) -> delivery.channel() == Channel.EMAIL)
			.singleElement()
			.satisfies((delivery) -> assertThat(((ChannelMessage.Email) delivery.message()).text()).contains("Order 2")
				.doesNotContain("Order 1"));
	}

	private List<PendingDigest> sending() {
		PendingDigest digest = this.routing.digest("u-1", "order.*");
		assertThat(digest).isNotNull();
		return digest.sending();
	}

	private void order(String eventId, String title) {
		this.routing.event(TestEvents.event(eventId, this.routing.now())
			.type("order.shipped")
			.content(new Content(title, "Details of " + title, null))
			.build());
	}

}
