package io.herald.delivery.retry;

import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.FailureCause;
import io.herald.delivery.provider.RejectionCause;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Priority;
import io.herald.events.SuppressionReason;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DeliveryDecisionsTests {

	private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	/**
	 * Retry topics 1, 2 and 3 with delays of 1 s, 4 s and 10 s; a Retry-After honoured up
	 * to a minute.
	 */
	private final RetryProperties properties = new RetryProperties(4, Duration.ofSeconds(1), 4.0,
			Duration.ofSeconds(10), 0.5, Duration.ofMinutes(1));

	private final DeliveryDecisions decisions = new DeliveryDecisions(this.properties, CLOCK, () -> 0.0);

	@Test
	void backsOffExponentiallyWithoutJitterWhenTheDrawIsZero() {
		assertThat(this.decisions.delay(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.decisions.delay(2)).isEqualTo(Duration.ofSeconds(4));
		assertThat(this.decisions.delay(3)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void jitterShortensADelayByAtMostItsShare() {
		DeliveryDecisions jittered = new DeliveryDecisions(this.properties, CLOCK, () -> 1.0);
		assertThat(jittered.delay(2)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void retriesGoToTheLevelOfTheirTryAndAreDueAfterTheDelay() {
		assertThat(this.decisions.afterFailures(1, List.of(failed(FailureCause.UNAVAILABLE))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(2, 1, NOW.plusSeconds(1)));
		assertThat(this.decisions.afterFailures(3, List.of(failed(FailureCause.UNAVAILABLE))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(4, 3, NOW.plusSeconds(10)));
	}

	@Test
	void neverRetriesSoonerThanTheProviderAskedAndWaitsInTheRetryTopicOfThatWait() {
		assertThat(this.decisions.afterFailures(1, List.of(failed(FailureCause.UNAVAILABLE, Duration.ofSeconds(3)))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(2, 2, NOW.plusSeconds(3)));
		assertThat(this.decisions.afterFailures(1, List.of(failed(FailureCause.UNAVAILABLE, Duration.ofSeconds(4)))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(2, 2, NOW.plusSeconds(4)));
		assertThat(this.decisions.afterFailures(1, List.of(failed(FailureCause.UNAVAILABLE, Duration.ofMinutes(1)))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(2, 3, NOW.plusSeconds(60)));
	}

	@Test
	void aRetryAfterShorterThanTheBackoffChangesNothing() {
		assertThat(this.decisions.afterFailures(2, List.of(failed(FailureCause.UNAVAILABLE, Duration.ofSeconds(2)))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(3, 2, NOW.plusSeconds(4)));
	}

	@Test
	void aRetryAfterOfDaysWaitsNoLongerThanTheStatedMaximum() {
		assertThat(
				this.decisions.afterFailures(1, List.of(failed(FailureCause.PROVIDER_THROTTLED, Duration.ofDays(3)))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(2, 3, NOW.plus(this.properties.maxRetryAfter())));
	}

	@Test
	void aRetryAfterNoProviderMeansNeitherOverflowsNorWaitsBeyondTheMaximum() {
		// Long.MAX_VALUE seconds: added to now as it is, it would overflow an Instant.
		assertThat(this.decisions.afterFailures(1,
				List.of(failed(FailureCause.QUOTA_EXCEEDED, Duration.ofSeconds(Long.MAX_VALUE)))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(2, 3, NOW.plus(this.properties.maxRetryAfter())));
		assertThat(this.decisions.afterFailures(3,
				List.of(failed(FailureCause.CIRCUIT_OPEN, Duration.ofSeconds(Long.MAX_VALUE)))))
			.isEqualTo(new DeliveryDecisions.Decision.Postpone(3, 3, NOW.plus(this.properties.maxRetryAfter())));
	}

	@Test
	void aNegativeRetryAfterWaitsOnlyTheBackoff() {
		assertThat(this.decisions.afterFailures(1, List.of(failed(FailureCause.UNAVAILABLE, Duration.ofSeconds(-30)))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(2, 1, NOW.plusSeconds(1)));
		assertThat(this.decisions.afterFailures(1, List.of(failed(FailureCause.CIRCUIT_OPEN, Duration.ofSeconds(-30)))))
			.isEqualTo(new DeliveryDecisions.Decision.Postpone(1, 1, NOW));
	}

	@Test
	void boundsARetryAfterToBetweenZeroAndTheMaximum() {
		assertThat(this.decisions.boundedRetryAfter(null)).isNull();
		assertThat(this.decisions.boundedRetryAfter(Duration.ofSeconds(-1))).isEqualTo(Duration.ZERO);
		assertThat(this.decisions.boundedRetryAfter(Duration.ZERO)).isEqualTo(Duration.ZERO);
		assertThat(this.decisions.boundedRetryAfter(Duration.ofSeconds(59))).isEqualTo(Duration.ofSeconds(59));
		assertThat(this.decisions.boundedRetryAfter(Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
		assertThat(this.decisions.boundedRetryAfter(Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void aWaitGoesToTheFirstRetryTopicWhoseDelayIsAtLeastThatLongOrElseToTheLast() {
		assertThat(this.decisions.level(Duration.ZERO)).isEqualTo(1);
		assertThat(this.decisions.level(Duration.ofSeconds(1))).isEqualTo(1);
		assertThat(this.decisions.level(Duration.ofMillis(1001))).isEqualTo(2);
		assertThat(this.decisions.level(Duration.ofSeconds(4))).isEqualTo(2);
		assertThat(this.decisions.level(Duration.ofSeconds(5))).isEqualTo(3);
		assertThat(this.decisions.level(Duration.ofSeconds(10))).isEqualTo(3);
		assertThat(this.decisions.level(Duration.ofHours(1))).isEqualTo(3);
	}

	@Test
	void aJitteredDelayStaysInTheRetryTopicOfItsTry() {
		DeliveryDecisions jittered = new DeliveryDecisions(this.properties, CLOCK, () -> 1.0);
		assertThat(jittered.afterFailures(2, List.of(failed(FailureCause.TIMEOUT))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(3, 2, NOW.plusSeconds(2)));
		assertThat(jittered.afterFailures(3, List.of(failed(FailureCause.TIMEOUT))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(4, 3, NOW.plusSeconds(5)));
	}

	@Test
	void aMaximumOfZeroIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> new RetryProperties(4, Duration.ofSeconds(1), 4.0, Duration.ofSeconds(10), 0.5, Duration.ZERO))
			.withMessageContaining("max-retry-after");
	}

	@Test
	void aSingleAttemptStillHasOneRetryTopicSoThatPostponingWorks() {
		assertThat(new RetryProperties(1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1), 0, Duration.ofMinutes(1))
			.levels()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(
			names = { "UNAVAILABLE", "TIMEOUT", "AUTH", "DEFERRED", "PROVIDER_THROTTLED", "QUOTA_EXCEEDED", "ERROR" })
	void aTryOfTheProviderUsesUpAnAttemptAndDeadLettersAfterTheLast(FailureCause cause) {
		assertThat(DeliveryDecisions.usesAttempt(cause)).isTrue();
		assertThat(this.decisions.afterFailures(2, List.of(failed(cause))))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(3, 2, NOW.plusSeconds(4)));
		assertThat(this.decisions.afterFailures(4, List.of(failed(cause))))
			.isEqualTo(new DeliveryDecisions.Decision.DeadLetter(4));
	}

	@ParameterizedTest
	@EnumSource(names = { "CIRCUIT_OPEN", "HERALD_RATE_LIMITED", "IN_PROGRESS" })
	void noTryOfTheProviderIsPostponedWithoutUsingUpAnAttemptEvenAfterTheLast(FailureCause cause) {
		assertThat(DeliveryDecisions.usesAttempt(cause)).isFalse();
		assertThat(this.decisions.afterFailures(4, List.of(failed(cause, Duration.ofSeconds(30)))))
			.isEqualTo(new DeliveryDecisions.Decision.Postpone(4, 3, NOW.plusSeconds(30)));
		assertThat(this.decisions.afterFailures(2, List.of(failed(cause, Duration.ofSeconds(3)))))
			.isEqualTo(new DeliveryDecisions.Decision.Postpone(2, 2, NOW.plusSeconds(3)));
		assertThat(this.decisions.afterFailures(2, List.of(failed(cause))))
			.isEqualTo(new DeliveryDecisions.Decision.Postpone(2, 1, NOW.plus(DeliveryDecisions.DEFAULT_POSTPONEMENT)));
	}

	@Test
	void aProviderThatKeepsThrottlingWaitsItsRetryAfterEachTimeAndEndsInTheDeadLetterTopic() {
		DeliveryOutcome.Failed throttled = failed(FailureCause.PROVIDER_THROTTLED, Duration.ofSeconds(20));
		assertThat(this.decisions.afterFailures(1, List.of(throttled)))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(2, 3, NOW.plusSeconds(20)));
		assertThat(this.decisions.afterFailures(3, List.of(throttled)))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(4, 3, NOW.plusSeconds(20)));
		assertThat(this.decisions.afterFailures(4, List.of(throttled)))
			.isEqualTo(new DeliveryDecisions.Decision.DeadLetter(4));
	}

	@Test
	void heraldsOwnRateLimitAndTheProvidersThrottlingShareAReasonButNotADecision() {
		assertThat(FailureCause.HERALD_RATE_LIMITED.reason()).isEqualTo(FailureCause.PROVIDER_THROTTLED.reason())
			.isEqualTo("rate_limited");
		assertThat(this.decisions.afterFailures(4, List.of(failed(FailureCause.HERALD_RATE_LIMITED))))
			.isInstanceOf(DeliveryDecisions.Decision.Postpone.class);
		assertThat(this.decisions.afterFailures(4, List.of(failed(FailureCause.PROVIDER_THROTTLED))))
			.isInstanceOf(DeliveryDecisions.Decision.DeadLetter.class);
	}

	@Test
	void oneTriedSendAmongUntriedOnesUsesUpTheAttemptAndWaitsTheLongestRetryAfter() {
		List<DeliveryOutcome.Failed> failures = List.of(failed(FailureCause.IN_PROGRESS, Duration.ofSeconds(40)),
				failed(FailureCause.TIMEOUT));
		assertThat(this.decisions.afterFailures(1, failures))
			.isEqualTo(new DeliveryDecisions.Decision.Retry(2, 3, NOW.plusSeconds(40)));
	}

	@Test
	void theFailureOnEveryProviderIsTheLastTriedOneWithTheLongestRetryAfter() {
		List<DeliveryOutcome.Failed> failures = List.of(failed(FailureCause.PROVIDER_THROTTLED, Duration.ofSeconds(7)),
				failed(FailureCause.UNAVAILABLE), failed(FailureCause.CIRCUIT_OPEN));
		assertThat(DeliveryDecisions.countingFailure(failures)).isEqualTo(1);
		assertThat(DeliveryDecisions.afterEveryProvider(failures, Duration.ofSeconds(30)))
			.isEqualTo(new DeliveryOutcome.Failed(FailureCause.UNAVAILABLE, Duration.ofSeconds(7), "UNAVAILABLE"));
	}

	@Test
	void whenNoProviderWasTriedTheFirstFailureCountsAndWaitsTheUntriedTime() {
		List<DeliveryOutcome.Failed> failures = List.of(failed(FailureCause.CIRCUIT_OPEN),
				failed(FailureCause.HERALD_RATE_LIMITED));
		assertThat(DeliveryDecisions.countingFailure(failures)).isZero();
		assertThat(DeliveryDecisions.afterEveryProvider(failures, Duration.ofSeconds(30)))
			.isEqualTo(new DeliveryOutcome.Failed(FailureCause.CIRCUIT_OPEN, Duration.ofSeconds(30), "CIRCUIT_OPEN"));
		assertThatIllegalArgumentException().isThrownBy(() -> DeliveryDecisions.countingFailure(List.of()));
	}

	@ParameterizedTest
	@EnumSource(mode = EnumSource.Mode.EXCLUDE, names = "IN_PROGRESS")
	void aCriticalRequestFallsBackAtOnceWhateverFailedIt(FailureCause cause) {
		assertThat(DeliveryDecisions.allowsFallback(cause)).isTrue();
		assertThat(this.decisions.fallsBack(critical(), List.of(failed(cause)))).isTrue();
	}

	@Test
	void aCriticalRequestDoesNotFallBackWhileAnotherWorkerHoldsOneOfItsSends() {
		assertThat(DeliveryDecisions.allowsFallback(FailureCause.IN_PROGRESS)).isFalse();
		assertThat(this.decisions.fallsBack(critical(),
				List.of(failed(FailureCause.UNAVAILABLE), failed(FailureCause.IN_PROGRESS))))
			.isFalse();
	}

	@Test
	void onlyCriticalRequestsWithFallbacksFallBack() {
		List<DeliveryOutcome.Failed> failures = List.of(failed(FailureCause.UNAVAILABLE));
		DeliverNotification critical = critical();
		assertThat(this.decisions.fallsBack(critical.withFallbacks(List.of()), failures)).isFalse();
		assertThat(this.decisions.fallsBack(
				new DeliverNotification(critical.schemaVersion(), critical.tenant(), critical.eventId(),
						critical.notificationId(), critical.userId(), Priority.HIGH, critical.category(),
						critical.message(), critical.data(), critical.createdAt(), null, critical.fallbacks()),
				failures))
			.isFalse();
	}

	@ParameterizedTest
	@EnumSource(RejectionCause.class)
	void onlyAnUnregisteredDeviceIsForgotten(RejectionCause cause) {
		assertThat(DeliveryDecisions.forgetsDevice(cause)).isEqualTo(cause == RejectionCause.UNREGISTERED_DEVICE);
	}

	@ParameterizedTest
	@EnumSource(RejectionCause.class)
	void onlyAnUnreachableOrUnsubscribedAddressIsSuppressed(RejectionCause cause) {
		Optional<SuppressionReason> email = DeliveryDecisions.suppression(Channel.EMAIL, cause);
		Optional<SuppressionReason> sms = DeliveryDecisions.suppression(Channel.SMS, cause);
		switch (cause) {
			case INVALID_ADDRESS -> {
				assertThat(email).hasValue(SuppressionReason.BAD_ADDRESS);
				assertThat(sms).hasValue(SuppressionReason.INVALID_NUMBER);
			}
			case UNSUBSCRIBED -> {
				assertThat(email).hasValue(SuppressionReason.UNSUBSCRIBED);
				assertThat(sms).hasValue(SuppressionReason.UNSUBSCRIBED);
			}
			case UNREGISTERED_DEVICE, INVALID_MESSAGE, REFUSED, NO_PROVIDER -> {
				assertThat(email).isEmpty();
				assertThat(sms).isEmpty();
			}
		}
		assertThat(DeliveryDecisions.suppression(Channel.PUSH, cause)).as("push removes devices instead").isEmpty();
		assertThat(DeliveryDecisions.suppression(Channel.INAPP, cause)).isEmpty();
	}

	@Test
	void reasonsOnTheWireStayAsTheyWere() {
		assertThat(List.of(FailureCause.values())).extracting(FailureCause::reason)
			.containsExactly("unavailable", "timeout", "auth", "deferred", "rate_limited", "quota_exceeded", "error",
					"circuit_open", "rate_limited", "in_progress");
		assertThat(List.of(RejectionCause.values())).extracting(RejectionCause::reason)
			.containsExactly("unregistered", "bad_address", "unsubscribed", "invalid_message", "rejected",
					"no_provider");
		assertThat(new DeliveryOutcome.Rejected(RejectionCause.INVALID_ADDRESS, "invalid_number", "21211").reason())
			.isEqualTo("invalid_number");
	}

	private static DeliveryOutcome.Failed failed(FailureCause cause) {
		return failed(cause, null);
	}

	private static DeliveryOutcome.Failed failed(FailureCause cause, @Nullable Duration retryAfter) {
		return new DeliveryOutcome.Failed(cause, retryAfter, cause.name());
	}

	private static DeliverNotification critical() {
		ChannelMessage.Push push = new ChannelMessage.Push("t", "b", List.of());
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, "acme", "e-1",
				DeliverNotification.notificationId("e-1", "u-1", push.channel()), "u-1", Priority.CRITICAL,
				"security.alert", push, Map.of(), NOW, null, List.of(new ChannelMessage.Sms("+4915112345678", "b")));
	}

}
