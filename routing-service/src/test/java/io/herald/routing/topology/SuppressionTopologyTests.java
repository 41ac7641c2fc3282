package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.events.Profile;
import io.herald.events.StatusReported;
import io.herald.events.Suppression;
import io.herald.events.SuppressionReason;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.herald.routing.topology.TestEvents.TENANT;
import static io.herald.routing.topology.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suppression list (docs/adr/033): an address a provider refused for good is not
 * tried again while the user's profile has it.
 */
class SuppressionTopologyTests {

	private static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");

	private static final String EMAIL = "u-1@example.com";

	private static final String PHONE = "+4915100000001";

	@AutoClose
	private final RoutingDriver routing = new RoutingDriver(NOON).reachableUser("u-1");

	private int events;

	@Test
	void shouldSuppressTheChannelOfASuppressedAddressWithItsReasonAtEveryPriority() {
		suppress("u-1", Channel.EMAIL, EMAIL, SuppressionReason.BAD_ADDRESS);
		suppress("u-1", Channel.SMS, PHONE, SuppressionReason.UNSUBSCRIBED);

		for (Priority priority : Priority.values()) {
			this.routing.event(event(nextEvent(), NOON).users("u-1").priority(priority).build());
			assertThat(this.routing.deliveries()).extracting(DeliverNotification::channel)
				.as(priority.wireName())
				.containsExactlyInAnyOrder(Channel.INAPP, Channel.PUSH);
			assertThat(summary(this.routing.statuses())).as(priority.wireName())
				.contains("email suppressed bad_address", "sms suppressed unsubscribed");
		}
		assertThat(this.routing.meters.get("herald.routing.deliveries")
			.tags("channel", "email", "outcome", "suppressed", "reason", "bad_address")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum()).isEqualTo(Priority.values().length);
	}

	@Test
	void shouldGiveACriticalNotificationNoFallbackOnASuppressedAddress() {
		suppress("u-1", Channel.SMS, PHONE, SuppressionReason.INVALID_NUMBER);
		this.routing
			.event(event(nextEvent(), NOON).users("u-1").priority(Priority.CRITICAL).channels(Channel.PUSH).build());

		assertThat(this.routing.lane(Channel.PUSH, Lane.CRITICAL)).singleElement()
			.satisfies((record) -> assertThat(record.value().fallbacks()).extracting(ChannelMessage::channel)
				.containsExactly(Channel.EMAIL));
	}

	@Test
	void shouldSuppressTheAddressForAFanOutToo() {
		this.routing.subscribe(TENANT, "u-1", "deals");
		suppress("u-1", Channel.EMAIL, EMAIL, SuppressionReason.COMPLAINT);
		this.routing.event(event(nextEvent(), NOON).topic("deals").channels(Channel.EMAIL, Channel.INAPP).build());

		assertThat(this.routing.deliveries()).extracting(DeliverNotification::channel).containsExactly(Channel.INAPP);
		assertThat(summary(this.routing.statuses())).contains("email suppressed complaint");
	}

	@Test
	void shouldSendToANewAddressButNotToTheSameOnePutAgain() {
		suppress("u-1", Channel.EMAIL, EMAIL, SuppressionReason.BAD_ADDRESS);
		this.routing.profile("u-1", new Profile(EMAIL, PHONE, "en", "Europe/Berlin"));
		assertThat(emailsOf(nextEvent())).isEmpty();

		this.routing.profile("u-1", new Profile("ada@example.com", PHONE, "en", "Europe/Berlin"));

		assertThat(emailsOf(nextEvent())).singleElement()
			.satisfies((email) -> assertThat(email.to()).isEqualTo("ada@example.com"));
		assertThat(state("u-1").suppressions()).isEmpty();
		assertThat(suppressionCount("email", "bad_address", "address_changed")).isEqualTo(1.0);
	}

	@Test
	void shouldSendAgainOnceTheSuppressionIsLifted() {
		suppress("u-1", Channel.EMAIL, EMAIL, SuppressionReason.BAD_ADDRESS);
		assertThat(emailsOf(nextEvent())).isEmpty();

		this.routing.command(new UserCommand.LiftSuppression(1, TENANT, "u-1", this.routing.now(), Channel.EMAIL));

		assertThat(emailsOf(nextEvent())).hasSize(1);
		assertThat(suppressionCount("email", "bad_address", "recorded")).isEqualTo(1.0);
		assertThat(suppressionCount("email", "bad_address", "lifted")).isEqualTo(1.0);
	}

	@Test
	void shouldKeepALiftAgainstALateReceiptOfAnOlderSendButNotAgainstNewerEvidence() {
		Instant sentBeforeTheLift = this.routing.now();
		suppress("u-1", Channel.EMAIL, EMAIL, SuppressionReason.BAD_ADDRESS);
		this.routing.command(new UserCommand.LiftSuppression(1, TENANT, "u-1", this.routing.now(), Channel.EMAIL));
		this.routing.advance(Duration.ofSeconds(1));

		// A complaint about the message sent before the lift, recorded after it.
		this.routing.command(new UserCommand.SuppressAddress(UserCommand.CONDITIONAL_SCHEMA_VERSION, TENANT, "u-1",
				this.routing.now(), Channel.EMAIL, EMAIL, SuppressionReason.COMPLAINT, null, sentBeforeTheLift));

		assertThat(state("u-1").suppressions()).isEmpty();
		assertThat(emailsOf(nextEvent())).hasSize(1);
		assertThat(suppressionCount("email", "complaint", "ignored")).isEqualTo(1.0);
		assertThat(this.routing.deadLetters(Topics.USER_COMMANDS.name())).isEmpty();

		this.routing.command(new UserCommand.SuppressAddress(UserCommand.CONDITIONAL_SCHEMA_VERSION, TENANT, "u-1",
				this.routing.now(), Channel.EMAIL, EMAIL, SuppressionReason.BAD_ADDRESS, null, this.routing.now()));

		assertThat(emailsOf(nextEvent())).isEmpty();
	}

	@Test
	void shouldIgnoreASuppressionOfAnAddressTheUserNoLongerHas() {
		suppress("u-1", Channel.EMAIL, "old@example.com", SuppressionReason.BAD_ADDRESS);

		assertThat(state("u-1").suppressions()).isEmpty();
		assertThat(emailsOf(nextEvent())).hasSize(1);
		assertThat(suppressionCount("email", "bad_address", "ignored")).isEqualTo(1.0);
	}

	@Test
	void shouldEraseSuppressionsWithTheUserAndNeverBringTheUserBack() {
		suppress("u-1", Channel.EMAIL, EMAIL, SuppressionReason.BAD_ADDRESS);
		this.routing.command(new UserCommand.EraseUser(1, TENANT, "u-1", this.routing.now()));
		assertThat(state("u-1")).isNull();
		assertThat(suppressionCount("email", "bad_address", "erased")).isEqualTo(1.0);

		// A provider's answer to a send made before the erasure.
		suppress("u-1", Channel.EMAIL, EMAIL, SuppressionReason.BAD_ADDRESS);
		this.routing.command(new UserCommand.RemoveDevice(1, TENANT, "u-1", this.routing.now(),
				"token-u-1-0123456789abcdef", "unregistered"));

		assertThat(state("u-1")).isNull();
		assertThat(this.routing.deadLetters(Topics.USER_COMMANDS.name())).isEmpty();
	}

	@Test
	void shouldDeadLetterMalformedSuppressionsAndKeepFolding() {
		String valid = new String(Topics.USER_COMMANDS.codec()
			.encode(new UserCommand.SuppressAddress(1, TENANT, "u-1", NOON, Channel.EMAIL, EMAIL,
					SuppressionReason.BAD_ADDRESS, null)),
				StandardCharsets.UTF_8);
		this.routing.raw(Topics.USER_COMMANDS.name(), "acme|u-1",
				valid.replace("\"email\"", "\"push\"").getBytes(StandardCharsets.UTF_8));
		this.routing.raw(Topics.USER_COMMANDS.name(), "acme|u-1",
				valid.replace("\"bad_address\"", "\"annoyed\"").getBytes(StandardCharsets.UTF_8));
		this.routing.raw(Topics.USER_COMMANDS.name(), "acme|u-1",
				valid.replace("\"schemaVersion\":1", "\"schemaVersion\":2")
					.replace("}", ",\"evidenceAt\":\"before the lift\"}")
					.getBytes(StandardCharsets.UTF_8));
		this.routing.raw(Topics.USER_COMMANDS.name(), "acme|u-2", valid.getBytes(StandardCharsets.UTF_8));
		suppress("u-1", Channel.SMS, PHONE, SuppressionReason.INVALID_NUMBER);

		assertThat(this.routing.deadLetters(Topics.USER_COMMANDS.name()))
			.extracting((record) -> HeaderNames.lastValue(record.headers(), HeaderNames.DLT_REASON))
			.containsExactly("invalid_record", "invalid_record", "invalid_record", "processing_failed");
		assertThat(state("u-1").suppressions()).extracting(Suppression::channel).containsExactly(Channel.SMS);
	}

	private void suppress(String userId, Channel channel, String address, SuppressionReason reason) {
		this.routing.command(new UserCommand.SuppressAddress(1, TENANT, userId, this.routing.now(), channel, address,
				reason, "n-" + this.events));
		this.routing.advance(Duration.ofSeconds(1));
	}

	private String nextEvent() {
		this.events++;
		return "e-" + this.events;
	}

	/** The emails an event for u-1 asking for email only becomes. */
	private List<ChannelMessage.Email> emailsOf(String eventId) {
		this.routing.event(event(eventId, this.routing.now()).users("u-1").channels(Channel.EMAIL).build());
		return this.routing.deliveries()
			.stream()
			.map((notification) -> (ChannelMessage.Email) notification.message())
			.toList();
	}

	private UserState state(String userId) {
		KeyValueStore<String, UserState> users = this.routing.driver.getKeyValueStore(RoutingStores.USER_STATE);
		return users.get(TENANT + "|" + userId);
	}

	private double suppressionCount(String channel, String reason, String outcome) {
		Counter counter = this.routing.meters.find("herald.routing.suppressions")
			.tags("channel", channel, "reason", reason, "outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static List<String> summary(List<StatusReported> statuses) {
		return statuses.stream()
			.map((status) -> status.channel().wireName() + " " + status.state().wireName()
					+ ((status.reason() != null) ? " " + status.reason() : ""))
			.toList();
	}

}
