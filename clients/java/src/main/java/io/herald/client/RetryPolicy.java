package io.herald.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the client repeats a request that did not succeed. A request is repeated only when
 * that cannot do harm:
 * <ul>
 * <li>{@code 429} and {@code 503}, whatever the request: Herald wrote nothing; the wait
 * is at least the answer's {@code Retry-After};</li>
 * <li>no answer at all (connection refused or reset, timeout) and
 * {@code 502}/{@code 504}, only for requests that are safe to repeat: reads,
 * {@code DELETE}, an unconditional {@code PUT} or {@code PATCH}, a device registration,
 * and a publish whose every event carries an idempotency key (Herald answers a repeat
 * with {@code duplicate} and the first event id).</li>
 * </ul>
 * Between attempts the client waits a random time below a bound that starts at
 * {@link #initialBackoff()} and doubles up to {@link #maxBackoff()} (full jitter, so many
 * clients that failed together do not come back together), and never less than
 * {@code Retry-After}.
 *
 * @param maxAttempts attempts in all, the first included; {@code 1} never repeats
 * @param initialBackoff the first bound of the random wait
 * @param maxBackoff the largest bound of the random wait
 * @param maxRetryAfter the longest {@code Retry-After} the client waits for by itself; a
 * longer one ends the call with the answer's {@link HeraldApiException}, whose
 * {@link HeraldApiException#retryAfter()} the caller can schedule by
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

	/**
	 * Four attempts: without {@code Retry-After} about a second in all (enough for a
	 * broker leader election); with Herald's {@code Retry-After} of 5 s, about 15 s.
	 */
	public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5),
			Duration.ofSeconds(30));

	/** One attempt: every failure reaches the caller at once. */
	public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

	public RetryPolicy {
		Objects.requireNonNull(initialBackoff, "initialBackoff");
		Objects.requireNonNull(maxBackoff, "maxBackoff");
		Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
		}
		if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException("The backoff must satisfy 0 <= initialBackoff <= maxBackoff");
		}
		if (maxRetryAfter.isNegative()) {
			throw new IllegalArgumentException("maxRetryAfter must not be negative");
		}
	}

	/**
	 * How long to wait before the next attempt.
	 * @param failedAttempts attempts made so far (1 after the first)
	 * @param retryAfter what the answer asked for, or {@link Duration#ZERO}
	 */
	Duration delay(int failedAttempts, Duration retryAfter) {
		long bound = this.initialBackoff.toMillis() << Math.min(failedAttempts - 1, 20);
		bound = Math.min(Math.max(bound, 0), this.maxBackoff.toMillis());
		long jittered = (bound > 0) ? ThreadLocalRandom.current().nextLong(bound + 1) : 0;
		return Duration.ofMillis(Math.max(jittered, retryAfter.toMillis()));
	}

}
