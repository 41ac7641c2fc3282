package io.herald.ingestion.webhook;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * When a webhook call that failed, or was not tried, is tried again: exponential backoff
 * with jitter, never sooner than the endpoint's {@code Retry-After} up to
 * {@link #longestWait()}, bounded in tries and in the call's age ({@code max-age}, which
 * also ends a call that is only ever postponed).
 *
 * <p>
 * Retry level {@code n} ({@code herald.webhooks.retry-<n>}) holds waits of at most
 * {@link #levelDelay(int) levelDelay(n)}, the backoff after try {@code n} before jitter.
 * A call waits in the first level whose delay is at least its wait, so that no record
 * holds up its partition for longer than the records of that level are meant to wait: a
 * long {@code Retry-After} goes to a later level, not to the head of an early one.
 */
class RetrySchedule {

	/**
	 * The longest {@code Retry-After} in seconds read as a number: longer ones are read
	 * as the cap.
	 */
	private static final int MAX_SECONDS_DIGITS = 9;

	/** The longest header read at all: an HTTP date is 29 characters. */
	private static final int MAX_HEADER_LENGTH = 64;

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
	 * @param retryAfter the endpoint's {@code Retry-After} header as sent, or
	 * {@code null}
	 */
	Decision afterFailure(int attempt, Instant createdAt, @Nullable String retryAfter) {
		if (attempt >= this.properties.attempts()) {
			return new Decision.GiveUp(Decision.Limit.ATTEMPTS);
		}
		Duration wait = delay(attempt);
		Duration asked = retryAfter(retryAfter);
		if (asked != null && asked.compareTo(wait) > 0) {
			wait = asked;
		}
		return retry(createdAt, wait);
	}

	/**
	 * When to try a call that was not started (its endpoint is unreachable or busy): no
	 * try is used up, but a call that would be older than {@code max-age} when due is
	 * given up.
	 */
	Decision postpone(Instant createdAt) {
		return retry(createdAt, jittered(this.properties.initialDelay()));
	}

	private Decision retry(Instant createdAt, Duration wait) {
		Instant due = this.clock.instant().plus(wait);
		// Compared as a duration: a hostile createdAt near Instant.MAX must not overflow.
		if (Duration.between(createdAt, due).compareTo(this.properties.maxAge()) > 0) {
			return new Decision.GiveUp(Decision.Limit.MAX_AGE);
		}
		return new Decision.Retry(level(wait), due);
	}

	/**
	 * The delay after try {@code attempt}: {@link #levelDelay(int)} of the try, minus
	 * jitter.
	 */
	Duration delay(int attempt) {
		return jittered(levelDelay(Math.min(attempt, this.properties.levels())));
	}

	/**
	 * The wait retry level {@code level} is for: initial × multiplier^(level-1), at most
	 * {@code max-delay}.
	 */
	Duration levelDelay(int level) {
		double millis = this.properties.initialDelay().toMillis() * Math.pow(this.properties.multiplier(), level - 1);
		return Duration.ofMillis((long) Math.min(millis, this.properties.maxDelay().toMillis()));
	}

	/**
	 * The first retry level whose delay is at least {@code wait}; the last level when
	 * none is.
	 */
	int level(Duration wait) {
		for (int level = 1; level < this.properties.levels(); level++) {
			if (levelDelay(level).compareTo(wait) >= 0) {
				return level;
			}
		}
		return this.properties.levels();
	}

	/**
	 * The longest wait a {@code Retry-After} gets: the delay of the last retry level
	 * (with the defaults {@code max-delay}, 1 hour). An endpoint that asks for more is
	 * tried after this long, and fails again or not.
	 */
	Duration longestWait() {
		return levelDelay(this.properties.levels());
	}

	/**
	 * The wait a {@code Retry-After} header asks for, in seconds or as an HTTP date, at
	 * most {@link #longestWait()}.
	 * @return {@code null} when there is none: the header is absent, unreadable, or asks
	 * for no wait (zero seconds, a date not in the future)
	 */
	@Nullable Duration retryAfter(@Nullable String header) {
		if (header == null || header.isBlank() || header.length() > MAX_HEADER_LENGTH) {
			return null;
		}
		String value = header.strip();
		Duration wait;
		if (value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			wait = (value.length() <= MAX_SECONDS_DIGITS) ? Duration.ofSeconds(Long.parseLong(value)) : longestWait();
		}
		else {
			try {
				Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
					.toInstant();
				wait = Duration.between(this.clock.instant(), at);
			}
			catch (DateTimeParseException ex) {
				return null;
			}
		}
		if (wait.isNegative() || wait.isZero()) {
			return null;
		}
		return (wait.compareTo(longestWait()) > 0) ? longestWait() : wait;
	}

	private Duration jittered(Duration delay) {
		double share = this.properties.jitter() * this.random.getAsDouble();
		return Duration.ofMillis((long) (delay.toMillis() * (1.0 - share)));
	}

	/** What becomes of a call that failed for now, or was not tried. */
	sealed interface Decision {

		/**
		 * Try again from a retry topic.
		 *
		 * @param level the retry topic to wait in
		 * @param notBefore when it is due
		 */
		record Retry(int level, Instant notBefore) implements Decision {
		}

		/**
		 * Give up: dead-letter it.
		 *
		 * @param limit the limit the call reached
		 */
		record GiveUp(Limit limit) implements Decision {
		}

		/** The limits of a call. */
		enum Limit {

			/** Every try is used. */
			ATTEMPTS("attempts"),

			/** It would be older than {@code max-age} before its next try. */
			MAX_AGE("max_age");

			private final String wireName;

			Limit(String wireName) {
				this.wireName = wireName;
			}

			/**
			 * The name in dead-letter reasons and metrics, {@code gave_up_<wireName>}.
			 */
			String wireName() {
				return this.wireName;
			}

		}

	}

}
