package io.herald.delivery.provider;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A provider's {@code Retry-After} header (RFC 9110, section 10.2.3), as providers read
 * it.
 */
public final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * How long a {@code Retry-After} value asks to wait: whole seconds or an HTTP date.
	 * @param value the header's value, or {@code null} when there is none
	 * @param clock the time an HTTP date is measured from
	 * @return the wait, zero for a date in the past, {@code null} for no or an unreadable
	 * value
	 */
	public static @Nullable Duration parse(@Nullable String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.trim();
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
		}
		catch (NumberFormatException ex) {
			// Not seconds: an HTTP date, or nothing usable.
		}
		try {
			Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			Duration wait = Duration.between(clock.instant(), at);
			return wait.isNegative() ? Duration.ZERO : wait;
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

}
