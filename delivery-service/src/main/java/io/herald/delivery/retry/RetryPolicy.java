package io.herald.delivery.retry;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery request is tried again: exponential backoff with jitter, bounded in
 * attempts, and never sooner than the provider asked.
 */
@Component
public class RetryPolicy {

	private final RetryProperties properties;

	private final Clock clock;

	private final DoubleSupplier random;

	@Autowired
	RetryPolicy(RetryProperties properties, Clock clock) {
		this(properties, clock, () -> ThreadLocalRandom.current().nextDouble());
	}

	RetryPolicy(RetryProperties properties, Clock clock, DoubleSupplier random) {
		this.properties = properties;
		this.clock = clock;
		this.random = random;
	}

	/**
	 * What to do after try {@code attempt} failed for now.
	 * @param attempt the try that failed, 1 for the first
	 * @param retryAfter how long the provider asked to wait, or {@code null}
	 */
	public Decision afterFailure(int attempt, @Nullable Duration retryAfter) {
		if (attempt >= this.properties.attempts()) {
			return new Decision.GiveUp(attempt);
		}
		Duration delay = delay(attempt);
		if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
			delay = retryAfter;
		}
		return new Decision.Retry(attempt + 1, Math.min(attempt, this.properties.levels()),
				this.clock.instant().plus(delay));
	}

	/**
	 * When to look again at a request that waits for something other than the provider (a
	 * circuit that is open, another worker's lease): no try is used up, it goes to the first retry
	 * level.
	 * @param attempt the try that could not run
	 * @param wait how long to wait at least
	 */
	public Decision.Retry postpone(int attempt, Duration wait) {
		return new Decision.Retry(attempt, 1, this.clock.instant().plus(jittered(wait)));
	}

	/** The delay after try {@code attempt}: initial × multiplier^(attempt-1), capped, minus jitter. */
	Duration delay(int attempt) {
		double millis = this.properties.initialDelay().toMillis() * Math.pow(this.properties.multiplier(), attempt - 1);
		millis = Math.min(millis, this.properties.maxDelay().toMillis());
		return jittered(Duration.ofMillis((long) millis));
	}

	private Duration jittered(Duration delay) {
		double share = this.properties.jitter() * this.random.getAsDouble();
		return Duration.ofMillis((long) (delay.toMillis() * (1.0 - share)));
	}

	/** What becomes of a request that failed for now. */
	public sealed interface Decision {

		/**
		 * Try again.
		 * @param attempt the number of the next try
		 * @param level the retry topic to wait in
		 * @param notBefore when it is due
		 */
		record Retry(int attempt, int level, Instant notBefore) implements Decision {
		}

		/**
		 * Every try is used up: dead-letter it.
		 * @param attempts how many tries were made
		 */
		record GiveUp(int attempts) implements Decision {
		}

	}

}
