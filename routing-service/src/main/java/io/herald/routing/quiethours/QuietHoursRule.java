package io.herald.routing.quiethours;

import io.herald.events.Preferences.QuietHours;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Whether an instant falls into a user's quiet hours, and when that window ends: a pure
 * function of the window, the user's timezone and the instant.
 *
 * <p>
 * A window is {@code [start, end)} in local time. An {@code end} before {@code start}
 * crosses midnight ({@code 22:00} to {@code 07:00} runs into the next day);
 * {@code start == end} is an empty window (no quiet hours), not a whole day.
 *
 * <p>
 * Daylight saving time is resolved with {@link ZonedDateTime}, so a window lasts the real
 * time between its local boundaries (a {@code 22:00-07:00} window is 8 hours long on the
 * night clocks spring forward). A boundary that does not exist (inside a gap) moves later
 * by the length of the gap, java.time's rule: {@code 02:30} on 2026-03-29 in
 * Europe/Berlin is {@code 03:30 CEST}. A boundary that exists twice (inside an overlap)
 * is resolved so that the window is the longest: the start takes the earlier instant, the
 * end the later one. Quiet hours thus never end early because of a clock change.
 */
public final class QuietHoursRule {

	/**
	 * The end of the quiet window containing {@code now}.
	 * @param quietHours the user's quiet hours, or {@code null} for none
	 * @param zone the user's timezone
	 * @param now the instant to check
	 * @return when the window ends, or empty when {@code now} is outside quiet hours
	 */
	public Optional<Instant> endOfWindow(@Nullable QuietHours quietHours, ZoneId zone, Instant now) {
		if (quietHours == null || quietHours.start().equals(quietHours.end())) {
			return Optional.empty();
		}
		LocalDate today = now.atZone(zone).toLocalDate();
		// A window that crosses midnight may have started yesterday; one that does not
		// starts today.
		for (LocalDate startDate : new LocalDate[] { today.minusDays(1), today }) {
			Instant start = resolve(startDate, quietHours.start(), zone, false);
			LocalDate endDate = quietHours.end().isAfter(quietHours.start()) ? startDate : startDate.plusDays(1);
			Instant end = resolve(endDate, quietHours.end(), zone, true);
			if (!now.isBefore(start) && now.isBefore(end)) {
				return Optional.of(end);
			}
		}
		return Optional.empty();
	}

	private static Instant resolve(LocalDate date, LocalTime time, ZoneId zone, boolean laterAtOverlap) {
		ZonedDateTime zoned = ZonedDateTime.ofLocal(LocalDateTime.of(date, time), zone, null);
		return (laterAtOverlap ? zoned.withLaterOffsetAtOverlap() : zoned.withEarlierOffsetAtOverlap()).toInstant();
	}

}
