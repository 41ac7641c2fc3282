package io.herald.delivery.sms;

import io.herald.delivery.DeliveryIntegrationTest;
import io.herald.delivery.Lanes;
import io.herald.delivery.TwilioAccounts;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import io.herald.events.EventCancelled;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.events.SuppressionReason;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.events.Channel;
import io.herald.infra.sandbox.TwilioFailure;
import io.herald.infra.sandbox.TwilioMessage;
import io.herald.infra.sandbox.TwilioSandbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.herald.delivery.Lanes.notification;
import static io.herald.delivery.Lanes.sms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * SMS end to end: delivery requests on the SMS lanes reach two Twilio accounts (local
 * Messages API servers) through twilio-java, with the ledger, retry topics, dead letters
 * and failover.
 */
class SmsDeliveryIntegrationTests extends DeliveryIntegrationTest {

	private static final TwilioSandbox primary = TwilioSandbox.start();

	private static final TwilioSandbox backup = TwilioSandbox.start();

	/**
	 * What the accounts ask for when they throttle: longer than any of the test's backoff
	 * delays.
	 */
	private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

	private String phone;

	@Autowired
	private StringRedisTemplate redis;

	@DynamicPropertySource
	static void twilio(DynamicPropertyRegistry registry) {
		TwilioAccounts.register(registry, 0, "twilio-primary", primary);
		TwilioAccounts.register(registry, 1, "twilio-backup", backup);
	}

	@AfterAll
	static void stopSandboxes() {
		primary.close();
		backup.close();
	}

	@BeforeEach
	void newPhone() {
		this.phone = "+49151" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
	}

	@AfterEach
	void clearFailures() {
		primary.clearFailures();
		backup.clearFailures();
	}

	@Test
	void sendsAnSmsAndReportsItSentWithTheMessageSid() {
		DeliverNotification notification = notification(this.user, "e-1", Priority.HIGH, sms(this.phone));
		lanes.deliver(notification);

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received(primary)).hasSize(1));
		TwilioMessage message = received(primary).get(0);
		assertThat(message.body()).isEqualTo("Your order shipped");
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.statuses(this.user)).anySatisfy((status) -> {
			assertThat(status.state()).isEqualTo(DeliveryState.SENT);
			assertThat(status.channel()).isEqualTo(Channel.SMS);
			assertThat(status.providerId()).isEqualTo(message.sid());
		}));
		assertThat(received(backup)).isEmpty();
	}

	@Test
	void aRedeliveredRequestIsReportedAgainButNeverSentTwice() {
		DeliverNotification notification = notification(this.user, "e-1", Priority.NORMAL, sms(this.phone));
		lanes.deliver(notification);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent(this.user)).hasSize(1));

		lanes.deliver(notification);

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent(this.user)).hasSize(2));
		assertThat(received(primary)).hasSize(1);
		assertThat(sent(this.user)).extracting(StatusReported::providerId).containsOnly(received(primary).get(0).sid());
	}

	@Test
	void anInvalidNumberFailsForGoodWithoutRetryOrFailover() {
		String invalid = TwilioSandbox.INVALID_NUMBER_PREFIX + "1234";
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(invalid)));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.statuses(this.user)).anySatisfy((status) -> {
			assertThat(status.state()).isEqualTo(DeliveryState.FAILED);
			assertThat(status.reason()).isEqualTo("invalid_number");
		}));
		assertThat(Lanes.records(Topics.retry(Topics.deliver(Channel.SMS, Lane.PRIORITY), 1), this.user)).isEmpty();
		assertThat(backup.messages()).noneMatch((message) -> message.to().equals(invalid));
	}

	@Test
	void anInvalidNumberOrAnOptOutAsksRoutingToSuppressTheNumberAgainWhenReadAgain() {
		String invalid = TwilioSandbox.INVALID_NUMBER_PREFIX + "1234";
		String unsubscribed = TwilioSandbox.UNSUBSCRIBED_NUMBER_PREFIX + "5678";
		DeliverNotification toInvalid = notification(this.user, "e-1", Priority.HIGH, sms(invalid));
		DeliverNotification toUnsubscribed = notification(this.user, "e-2", Priority.HIGH, sms(unsubscribed));
		lanes.deliver(toInvalid);
		lanes.deliver(toUnsubscribed);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.suppressions(this.user)).hasSize(2));
		List<UserCommand.SuppressAddress> first = Lanes.suppressions(this.user);

		// Read again (a redelivery): the ledger knows both, so Twilio is not asked again,
		// but routing is, with the time of Twilio's first answer.
		lanes.deliver(toInvalid);
		lanes.deliver(toUnsubscribed);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.statuses(this.user))
				.filteredOn((status) -> status.state() == DeliveryState.FAILED)
				.hasSize(4));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.suppressions(this.user)).hasSize(4));
		assertThat(Lanes.suppressions(this.user))
			.extracting(UserCommand.SuppressAddress::channel, UserCommand.SuppressAddress::address,
					UserCommand.SuppressAddress::reason, UserCommand.SuppressAddress::notificationId,
					UserCommand.SuppressAddress::evidenceAt)
			.containsExactlyInAnyOrder(
					tuple(Channel.SMS, invalid, SuppressionReason.INVALID_NUMBER, toInvalid.notificationId(),
							evidenceOf(first, invalid)),
					tuple(Channel.SMS, unsubscribed, SuppressionReason.UNSUBSCRIBED, toUnsubscribed.notificationId(),
							evidenceOf(first, unsubscribed)),
					tuple(Channel.SMS, invalid, SuppressionReason.INVALID_NUMBER, toInvalid.notificationId(),
							evidenceOf(first, invalid)),
					tuple(Channel.SMS, unsubscribed, SuppressionReason.UNSUBSCRIBED, toUnsubscribed.notificationId(),
							evidenceOf(first, unsubscribed)));
	}

	private static Instant evidenceOf(List<UserCommand.SuppressAddress> commands, String address) {
		return commands.stream()
			.filter((command) -> command.address().equals(address))
			.findFirst()
			.orElseThrow()
			.evidenceAt();
	}

	@Test
	void aFailedAccountFailsOverToTheNextOne() {
		primary.failUntilCleared(TwilioFailure.SERVICE_UNAVAILABLE);
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(this.phone)));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received(backup)).hasSize(1));
		assertThat(received(primary)).isEmpty();
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(sent(this.user)).singleElement()
				.extracting(StatusReported::providerId)
				.isEqualTo(received(backup).get(0).sid()));
	}

	@Test
	void aTemporaryFailureIsRetriedThroughTheRetryTopicAndSentOnce() {
		primary.failNext(1, TwilioFailure.SERVICE_UNAVAILABLE);
		backup.failNext(1, TwilioFailure.RATE_LIMITED);
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(this.phone)));

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(
					Lanes.records(Topics.retry(Topics.deliver(Channel.SMS, Lane.PRIORITY), 1), this.user))
				.isNotEmpty());
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received(primary)).hasSize(1));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent(this.user)).hasSize(1));
		assertThat(Lanes.statuses(this.user)).anySatisfy((status) -> {
			assertThat(status.state()).isEqualTo(DeliveryState.QUEUED);
			assertThat(status.reason()).startsWith("retrying: ");
		});
		assertThat(received(primary)).hasSize(1);
		assertThat(received(backup)).isEmpty();
	}

	@Test
	void exhaustedRetriesGoToTheDeadLetterTopicWithTheReason() {
		primary.failUntilCleared(TwilioFailure.INTERNAL_ERROR);
		backup.failUntilCleared(TwilioFailure.INTERNAL_ERROR);
		lanes.deliver(notification(this.user, "e-1", Priority.NORMAL, sms(this.phone)));

		String deadLetters = Topics.deadLetter(Topics.deliver(Channel.SMS, Lane.BULK).name());
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.records(deadLetters, this.user)).hasSize(1));
		ConsumerRecord<String, byte[]> deadLetter = Lanes.records(deadLetters, this.user).get(0);
		assertThat(Lanes.header(deadLetter, HeaderNames.DLT_REASON)).startsWith("retries_exhausted: ");
		assertThat(Lanes.header(deadLetter, HeaderNames.ATTEMPT)).isEqualTo("3");
		assertThat(Lanes.header(deadLetter, HeaderNames.ORIGINAL_TOPIC))
			.isEqualTo(Topics.deliver(Channel.SMS, Lane.BULK).name());
		assertThat(Topics.deliver(Channel.SMS, Lane.BULK).codec().decode(deadLetter.value()).userId())
			.isEqualTo(this.user);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.statuses(this.user))
				.anySatisfy((status) -> assertThat(status.state()).isEqualTo(DeliveryState.DEAD_LETTERED)));
		assertThat(received(primary)).isEmpty();
		assertThat(received(backup)).isEmpty();
	}

	@Test
	void aProviderThatKeepsThrottlingUsesUpEveryAttemptWaitingItsRetryAfterAndEndsInTheDeadLetterTopic() {
		primary.retryAfter(RETRY_AFTER);
		backup.retryAfter(RETRY_AFTER);
		primary.failUntilCleared(TwilioFailure.RATE_LIMITED);
		backup.failUntilCleared(TwilioFailure.RATE_LIMITED);
		lanes.deliver(notification(this.user, "e-1", Priority.NORMAL, sms(this.phone)));

		String lane = Topics.deliver(Channel.SMS, Lane.BULK).name();
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.records(Topics.deadLetter(lane), this.user)).singleElement()
				.satisfies((deadLetter) -> {
					assertThat(Lanes.header(deadLetter, HeaderNames.DLT_REASON))
						.isEqualTo("retries_exhausted: rate_limited");
					assertThat(Lanes.header(deadLetter, HeaderNames.ATTEMPT)).isEqualTo("3");
				}));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.statuses(this.user)).anySatisfy((status) -> {
			assertThat(status.state()).isEqualTo(DeliveryState.DEAD_LETTERED);
			assertThat(status.reason()).isEqualTo("rate_limited");
		}));
		// Each try that the accounts throttled was retried no sooner than their
		// Retry-After: far later than the test's backoff (300 ms, then 600 ms) would have
		// it.
		List<ConsumerRecord<String, byte[]>> retries = new ArrayList<>();
		for (int level = 1; level <= 2; level++) {
			Lanes.records(Topics.retry(Topics.deliver(Channel.SMS, Lane.BULK), level), this.user)
				.stream()
				.filter((retry) -> Lanes.header(retry, HeaderNames.DLT_REASON).equals("rate_limited"))
				.forEach(retries::add);
		}
		assertThat(retries).extracting((retry) -> Lanes.header(retry, HeaderNames.ATTEMPT)).containsExactly("2", "3");
		assertThat(retries).allSatisfy(
				(retry) -> assertThat(Long.parseLong(Lanes.header(retry, HeaderNames.NOT_BEFORE)) - retry.timestamp())
					.isGreaterThan(RETRY_AFTER.toMillis() - 500));
		assertThat(received(primary)).isEmpty();
		assertThat(received(backup)).isEmpty();
	}

	@Test
	void aPoisonRecordIsDeadLetteredAndTheUsersNextRequestStillGoesOut() {
		String lane = Topics.deliver(Channel.SMS, Lane.PRIORITY).name();
		lanes.send(lane, Lanes.TENANT + "|" + this.user,
				"{\"not\": \"a notification\"".getBytes(StandardCharsets.UTF_8));
		lanes.send(lane, Lanes.TENANT + "|" + this.user, new byte[0]);
		lanes.send(lane, Lanes.TENANT + "|" + this.user,
				"{\"schemaVersion\": 99, \"tenant\": \"acme\"}".getBytes(StandardCharsets.UTF_8));
		lanes.send(lane, Lanes.TENANT + "|" + this.user,
				Topics.deliver(Channel.EMAIL, Lane.PRIORITY)
					.codec()
					.encode(notification(this.user, "e-wrong-lane", Priority.HIGH, Lanes.email("x@example.com"))));
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(this.phone)));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received(primary)).hasSize(1));
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.records(Topics.deadLetter(lane), this.user)).hasSize(4)
				.allSatisfy((record) -> assertThat(Lanes.header(record, HeaderNames.DLT_REASON))
					.startsWith("invalid_record")));
	}

	@Test
	void erasingAUserForgetsTheirSends() {
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(this.phone)));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent(this.user)).hasSize(1));
		String pattern = "herald:send:{" + Lanes.TENANT + ":" + this.user + "}:*";
		assertThat(this.redis.keys(pattern)).hasSize(1);

		lanes.send(Topics.USER_COMMANDS.name(), Lanes.TENANT + "|" + this.user, Topics.USER_COMMANDS.codec()
			.encode(new UserCommand.EraseUser(UserCommand.SCHEMA_VERSION, Lanes.TENANT, this.user, Instant.now())));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.redis.keys(pattern)).isEmpty());
	}

	@Test
	void aRequestOfACancelledEventIsReportedCancelledAndNeverSent() {
		String eventId = "e-" + UUID.randomUUID();
		cancel(eventId);
		lanes.deliver(notification(this.user, eventId, Priority.HIGH, sms(this.phone)));
		lanes.deliver(notification(this.user, "e-kept-" + UUID.randomUUID(), Priority.HIGH, sms(this.phone)));

		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(Lanes.statuses(this.user)).filteredOn((status) -> status.eventId().equals(eventId))
						.singleElement()
						.satisfies((status) -> {
							assertThat(status.state()).isEqualTo(DeliveryState.CANCELLED);
							assertThat(status.reason()).isEqualTo(EventCancelled.BY_API);
						}));
		// The user's next request went out after it, on the same partition, in order.
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received(primary)).hasSize(1));
		assertThat(sent(this.user)).singleElement().extracting(StatusReported::eventId).isNotEqualTo(eventId);
	}

	@Test
	void aRetryOfACancelledEventIsReportedCancelledWhenDueAndNeverSent() {
		String eventId = "e-" + UUID.randomUUID();
		DeliverNotification notification = notification(this.user, eventId, Priority.HIGH, sms(this.phone));
		String lane = Topics.deliver(Channel.SMS, Lane.PRIORITY).name();
		cancel(eventId);
		// As the dispatcher parks a request that failed for now: due a little later, on
		// its retry topic.
		lanes.send(Topics.retry(Topics.deliver(Channel.SMS, Lane.PRIORITY), 1), notification.key(),
				Topics.deliver(Channel.SMS, Lane.PRIORITY).codec().encode(notification),
				Map.of(HeaderNames.ATTEMPT, "2", HeaderNames.ORIGINAL_TOPIC, lane, HeaderNames.NOT_BEFORE,
						Long.toString(Instant.now().plusSeconds(2).toEpochMilli())));

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.statuses(this.user)).singleElement()
				.satisfies((status) -> assertThat(status.state()).isEqualTo(DeliveryState.CANCELLED)));
		assertThat(received(primary)).isEmpty();
		assertThat(received(backup)).isEmpty();
	}

	/** Marks an event cancelled as the cancellation API does. */
	private void cancel(String eventId) {
		this.redis.opsForValue()
			.set(EventCancelled.redisKey(Lanes.TENANT, eventId), EventCancelled.BY_API, Duration.ofMinutes(5));
	}

	private List<TwilioMessage> received(TwilioSandbox sandbox) {
		return sandbox.messages().stream().filter((message) -> message.to().equals(this.phone)).toList();
	}

	private static List<StatusReported> sent(String user) {
		return Lanes.statuses(user).stream().filter((status) -> status.state() == DeliveryState.SENT).toList();
	}

}
