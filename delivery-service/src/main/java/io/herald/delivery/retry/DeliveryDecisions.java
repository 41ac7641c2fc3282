package io.herald.delivery.retry;

import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.FailureCause;
import io.herald.delivery.provider.RejectionCause;
import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.Priority;
import io.herald.events.SuppressionReason;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * What becomes of a send and of a delivery request, read from the typed causes of their
 * outcomes. The dispatcher carries these decisions out; none is taken anywhere else, and
 * none reads a reason string.
 *
 * <ul>
 * <li><b>Report.</b> A sent or rejected send is final. A rejection for an
 * {@linkplain RejectionCause#UNREGISTERED_DEVICE unregistered device} also makes routing
 * forget the device ({@link #forgetsDevice}); one for an email address or phone number
 * that can never be reached, or whose owner opted out, makes routing suppress the address
 * ({@link #suppression}, docs/adr/033).</li>
 * <li><b>Next provider.</b> A failure moves the send on to the next provider of its
 * channel, at once; when every provider failed, the send's failure is the last that
 * {@linkplain #usesAttempt used up a try}, waiting for the longest {@code Retry-After}
 * ({@link #afterEveryProvider}).</li>
 * <li><b>Fallback channel.</b> A critical request with sends that failed on every
 * provider is tried on its fallback channels at once, unless another worker holds one of
 * its sends ({@link #fallsBack}).</li>
 * <li><b>Retry later, postpone or dead-letter</b> ({@link #afterFailures}). A request
 * whose providers were tried is retried with exponential backoff and jitter, never sooner
 * than a provider's {@code Retry-After}, and dead-lettered after the last attempt. A
 * provider's own throttling (HTTP 429) is such a try. A request no provider was tried for
 * (Herald's circuit breaker, Herald's own rate limit, another worker's lease) is
 * postponed without using up an attempt.</li>
 * <li><b>How long and where it waits.</b> A {@code Retry-After} is honoured up to
 * {@link RetryProperties#maxRetryAfter()}: a longer one, days or a number no provider
 * means, waits that long, and a negative one not at all ({@link #boundedRetryAfter}). A
 * request waits in the first retry topic whose delay is at least its wait, or in the last
 * ({@link #level}): a retry topic's partition is held until its next record is due, so a
 * long wait in the first topic would hold back every short one behind it.</li>
 * </ul>
 *
 * <p>
 * Pure: it reads its {@link Clock} and a random draw for jitter, and returns values.
 */
@Component
public class DeliveryDecisions {

	/** How long a postponed request waits when nothing says how long: a second. */
	static final Duration DEFAULT_POSTPONEMENT = Duration.ofSeconds(1);

	private final RetryProperties properties;

	private final Clock clock;

	private final DoubleSupplier random;

	@Autowired
	DeliveryDecisions(RetryProperties properties, Clock clock) {
		this(properties, clock, () -> ThreadLocalRandom.current().nextDouble());
	}

	DeliveryDecisions(RetryProperties properties, Clock clock, DoubleSupplier random) {
		this.properties = properties;
		this.clock = clock;
		this.random = random;
	}

	/**
	 * Whether a failure was a try of the provider, which uses up one of a request's
	 * attempts, or no try at all (the provider was not called), which uses up none.
	 */
	public static boolean usesAttempt(FailureCause cause) {
		return switch (cause) {
			case UNAVAILABLE, TIMEOUT, AUTH, DEFERRED, PROVIDER_THROTTLED, QUOTA_EXCEEDED, ERROR -> true;
			case CIRCUIT_OPEN, HERALD_RATE_LIMITED, IN_PROGRESS -> false;
		};
	}

	/**
	 * Whether a failure lets a critical request go out on a fallback channel now. Not
	 * while another worker holds the send: it may be going out through the request's own
	 * channel.
	 */
	public static boolean allowsFallback(FailureCause cause) {
		return switch (cause) {
			case UNAVAILABLE, TIMEOUT, AUTH, DEFERRED, PROVIDER_THROTTLED, QUOTA_EXCEEDED, ERROR, CIRCUIT_OPEN,
					HERALD_RATE_LIMITED ->
				true;
			case IN_PROGRESS -> false;
		};
	}

	/** Whether a rejection makes routing forget the device the send went to. */
	public static boolean forgetsDevice(RejectionCause cause) {
		return switch (cause) {
			case UNREGISTERED_DEVICE -> true;
			case INVALID_ADDRESS, UNSUBSCRIBED, INVALID_MESSAGE, REFUSED, NO_PROVIDER -> false;
		};
	}

	/**
	 * Why a rejection of a send on a channel makes routing suppress the address, or empty
	 * when it does not: the address can never be reached ({@code bad_address} for email,
	 * {@code invalid_number} for SMS) or its owner opted out ({@code unsubscribed}). A
	 * refusal of the message, or for a reason of the provider's, says nothing about the
	 * address; a dead device token removes the device instead.
	 */
	public static Optional<SuppressionReason> suppression(Channel channel, RejectionCause cause) {
		boolean hasAddress = switch (channel) {
			case EMAIL, SMS -> true;
			case INAPP, PUSH -> false;
		};
		if (!hasAddress) {
			return Optional.empty();
		}
		return switch (cause) {
			case INVALID_ADDRESS -> Optional
				.of((channel == Channel.SMS) ? SuppressionReason.INVALID_NUMBER : SuppressionReason.BAD_ADDRESS);
			case UNSUBSCRIBED -> Optional.of(SuppressionReason.UNSUBSCRIBED);
			case UNREGISTERED_DEVICE, INVALID_MESSAGE, REFUSED, NO_PROVIDER -> Optional.empty();
		};
	}

	/**
	 * The failure of a send that every provider of its channel failed, in the order
	 * tried.
	 * @param failures one per provider that takes the send, at least one
	 * @param untried how long to wait when no provider was tried (the circuit breaker's
	 * open time)
	 * @return the {@linkplain #countingFailure counting failure}, waiting the longest
	 * {@code Retry-After} of them, or {@code untried} when no provider was tried
	 */
	public static DeliveryOutcome.Failed afterEveryProvider(List<DeliveryOutcome.Failed> failures, Duration untried) {
		DeliveryOutcome.Failed counting = failures.get(countingFailure(failures));
		boolean tried = usesAttempt(counting.cause());
		return new DeliveryOutcome.Failed(counting.cause(), tried ? longestRetryAfter(failures) : untried,
				counting.detail());
	}

	/**
	 * Which of a send's failures on every provider of its channel counts: the last that
	 * used up a try, or the first when none did.
	 * @param failures one per provider that takes the send, in the order tried, at least
	 * one
	 * @return its index
	 */
	public static int countingFailure(List<DeliveryOutcome.Failed> failures) {
		if (failures.isEmpty()) {
			throw new IllegalArgumentException("a send that failed on every provider has at least one failure");
		}
		for (int i = failures.size() - 1; i >= 0; i--) {
			if (usesAttempt(failures.get(i).cause())) {
				return i;
			}
		}
		return 0;
	}

	/**
	 * Whether a request whose {@code failures} failed on every provider goes to its
	 * fallback channels now.
	 */
	public boolean fallsBack(DeliverNotification notification, List<DeliveryOutcome.Failed> failures) {
		return notification.priority() == Priority.CRITICAL && !notification.fallbacks().isEmpty()
				&& failures.stream().allMatch((failure) -> allowsFallback(failure.cause()));
	}

	/**
	 * What becomes of a request after try {@code attempt}, when some of its sends failed
	 * for now on every provider (and no fallback channel took it).
	 * @param attempt the try that failed, 1 for the first
	 * @param failures the sends' failures, at least one
	 */
	public Decision afterFailures(int attempt, List<DeliveryOutcome.Failed> failures) {
		if (failures.isEmpty()) {
			throw new IllegalArgumentException("a failed request has at least one failure");
		}
		Duration retryAfter = boundedRetryAfter(longestRetryAfter(failures));
		Instant now = this.clock.instant();
		if (failures.stream().noneMatch((failure) -> usesAttempt(failure.cause()))) {
			Duration wait = jittered(Objects.requireNonNullElse(retryAfter, DEFAULT_POSTPONEMENT));
			return new Decision.Postpone(attempt, level(wait), now.plus(wait));
		}
		if (attempt >= this.properties.attempts()) {
			return new Decision.DeadLetter(attempt);
		}
		Duration delay = delay(attempt);
		if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
			delay = retryAfter;
		}
		return new Decision.Retry(attempt + 1, level(delay), now.plus(delay));
	}

	/**
	 * The delay after try {@code attempt}: initial × multiplier^(attempt-1), capped,
	 * minus jitter.
	 */
	Duration delay(int attempt) {
		return jittered(levelDelay(attempt));
	}

	/**
	 * The retry topic a request that waits {@code wait} goes to: the first whose delay is
	 * at least the wait, or the last when none is that long.
	 * @return from 1 to {@link RetryProperties#levels()}
	 */
	int level(Duration wait) {
		int levels = this.properties.levels();
		for (int level = 1; level < levels; level++) {
			if (levelDelay(level).compareTo(wait) >= 0) {
				return level;
			}
		}
		return levels;
	}

	/**
	 * A provider's {@code Retry-After} as a wait: at most
	 * {@link RetryProperties#maxRetryAfter()}, never negative.
	 * @return {@code null} when there is none
	 */
	@Nullable Duration boundedRetryAfter(@Nullable Duration retryAfter) {
		if (retryAfter == null) {
			return null;
		}
		if (retryAfter.isNegative()) {
			return Duration.ZERO;
		}
		Duration max = this.properties.maxRetryAfter();
		return (retryAfter.compareTo(max) > 0) ? max : retryAfter;
	}

	/**
	 * The delay of retry topic {@code level}, the delay after try {@code level} before
	 * jitter.
	 */
	private Duration levelDelay(int level) {
		double millis = this.properties.initialDelay().toMillis() * Math.pow(this.properties.multiplier(), level - 1);
		return Duration.ofMillis((long) Math.min(millis, this.properties.maxDelay().toMillis()));
	}

	private Duration jittered(Duration delay) {
		double share = this.properties.jitter() * this.random.getAsDouble();
		return Duration.ofMillis((long) (delay.toMillis() * (1.0 - share)));
	}

	private static @Nullable Duration longestRetryAfter(List<DeliveryOutcome.Failed> failures) {
		return failures.stream()
			.map(DeliveryOutcome.Failed::retryAfter)
			.filter(Objects::nonNull)
			.max(Duration::compareTo)
			.orElse(null);
	}

	/** What becomes of a request that failed for now. */
	public sealed interface Decision {

		/**
		 * Try again, one attempt used up.
		 *
		 * @param attempt the number of the next try
		 * @param level the retry topic to wait in
		 * @param notBefore when it is due
		 */
		record Retry(int attempt, int level, Instant notBefore) implements Decision {
		}

		/**
		 * Look again later without using up an attempt: no provider was tried.
		 *
		 * @param attempt the number of the try that could not run, and of the next
		 * @param level the retry topic to wait in
		 * @param notBefore when it is due
		 */
		record Postpone(int attempt, int level, Instant notBefore) implements Decision {
		}

		/**
		 * Every attempt is used up: dead-letter it.
		 *
		 * @param attempts how many tries were made
		 */
		record DeadLetter(int attempts) implements Decision {
		}

	}

}
