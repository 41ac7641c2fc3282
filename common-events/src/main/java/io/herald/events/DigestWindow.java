package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How long a digest collects (docs/adr/036): a fixed window from its first notification
 * ({@link Every}, written as an ISO-8601 duration such as {@code PT1H}), or until the
 * next time of day in the user's timezone ({@link DailyAt}, written {@code HH:mm}).
 */
public sealed interface DigestWindow {

	/** The shortest window. */
	Duration MIN = Duration.ofMinutes(1);

	/** The longest window: a week (a digest is about now, not a newsletter archive). */
	Duration MAX = Duration.ofDays(7);

	/** The text form: the duration, or the time of day. */
	String text();

	/**
	 * When a digest whose first notification came at {@code start} goes out.
	 * @param zone the user's timezone
	 */
	Instant end(Instant start, ZoneId zone);

	/**
	 * A window as long as a duration, from a digest's first notification.
	 *
	 * @param length between {@link #MIN} and {@link #MAX}
	 */
	record Every(Duration length) implements DigestWindow {

		public Every {
			Objects.requireNonNull(length, "length");
			if (length.compareTo(MIN) < 0 || length.compareTo(MAX) > 0) {
				throw new IllegalArgumentException("a digest window lasts from PT1M to P7D, not " + length);
			}
		}

		@Override
		public String text() {
			return this.length.toString();
		}

		@Override
		public Instant end(Instant start, ZoneId zone) {
			return start.plus(this.length);
		}

	}

	/**
	 * A window that ends at the next time of day, in the user's timezone.
	 *
	 * @param time the time of day, whole minutes
	 */
	record DailyAt(LocalTime time) implements DigestWindow {

		private static final Pattern SHAPE = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

		public DailyAt {
			Objects.requireNonNull(time, "time");
			time = time.withSecond(0).withNano(0);
		}

		@Override
		public String text() {
			return this.time.toString();
		}

		@Override
		public Instant end(Instant start, ZoneId zone) {
			ZonedDateTime local = start.atZone(zone);
			ZonedDateTime end = local.with(this.time);
			if (!end.isAfter(local)) {
				end = local.plusDays(1).with(this.time);
			}
			return end.toInstant();
		}

		/** The time of an {@code HH:mm} text, or {@code null} for another text. */
		static @Nullable DailyAt parse(String text) {
			return SHAPE.matcher(text).matches() ? new DailyAt(LocalTime.parse(text)) : null;
		}

	}

	/**
	 * The window a text names: an ISO-8601 duration from {@code PT1M} to {@code P7D}, or
	 * a time of day {@code HH:mm}.
	 * @return the window, or {@code null} when the text is neither (or out of bounds)
	 */
	static @Nullable DigestWindow parse(@Nullable String text) {
		if (text == null || text.length() > 32) {
			return null;
		}
		DailyAt daily = DailyAt.parse(text);
		if (daily != null) {
			return daily;
		}
		try {
			Duration length = Duration.parse(text);
			return (length.compareTo(MIN) >= 0 && length.compareTo(MAX) <= 0) ? new Every(length) : null;
		}
		catch (DateTimeParseException | ArithmeticException ex) {
			return null;
		}
	}

}
