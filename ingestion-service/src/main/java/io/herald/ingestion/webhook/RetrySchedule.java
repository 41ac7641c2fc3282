package io.herald.ingestion.webhook;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When a failed webhook call is tried again: exponential backoff with jitter, never sooner than
 * the endpoint's {@code Retry-After}, bounded in tries and in the call's age.
 */
class RetrySchedule {

	private final WebhookProperties properties;

	private final Clock clock;

	private final DoubleSupplier random;

	RetrySchedule(WebhookProperties properties, Clock clock, DoubleSupplier random) {
		this.properties = properties;
		this.clock = clock;
		this.random = random;
	}

	/**
	 * What to do after try {@code attempt} of a call made at {@code createdAt} failed.
	 * @param retryAfter how long the endpoint asked to wait, or {@code null}
	 */
	Decision afterFailure(int attempt, Instant createdAt, @Nullable Duration retryAfter) {
		if (attempt >= this.properties.attempts()) {
			return new Decision.GiveUp("attempts");
		}
		Duration delay = delay(attempt);
		if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
			delay = retryAfter;
		}
		Instant due = this.clock.instant().plus(delay);
		if (due.isAfter(createdAt.plus(this.properties.maxAge()))) {
			return new Decision.GiveUp("max_age");
		}
		return new Decision.Retry(Math.min(attempt, this.properties.levels()), due);
	}

	/** When to try a call that was not started (its endpoint is unreachable or busy): no try is used up. */
	Decision.Retry postpone() {
		return new Decision.Retry(1, this.clock.instant().plus(jittered(this.properties.initialDelay())));
	}

	/** The delay after try {@code attempt}: initial × multiplier^(attempt-1), capped, minus jitter. */
	Duration delay(int attempt) {
		double millis = this.properties.initialDelay().toMillis()
				* Math.pow(this.properties.multiplier(), attempt - 1);
		millis = Math.min(millis, this.properties.maxDelay().toMillis());
		return jittered(Duration.ofMillis((long) millis));
	}

	private Duration jittered(Duration delay) {
		double share = this.properties.jitter() * this.random.getAsDouble();
		return Duration.ofMillis((long) (delay.toMillis() * (1.0 - share)));
	}

	/** What becomes of a call that failed for now. */
	sealed interface Decision {

		/**
		 * Try again from a retry topic.
		 * @param level the retry topic to wait in
		 * @param notBefore when it is due
		 */
		record Retry(int level, Instant notBefore) implements Decision {
		}

		/**
		 * Give up: dead-letter it.
		 * @param why {@code attempts} (every try used) or {@code max_age}
		 */
		record GiveUp(String why) implements Decision {
		}

	}

}
