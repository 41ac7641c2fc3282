package io.herald.routing.quiethours;

import io.herald.events.Preferences.QuietHours;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class QuietHoursRuleTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private static final QuietHours NIGHT = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0));

	private final QuietHoursRule rule = new QuietHoursRule();

	@Test
	void windowCrossingMidnightCoversLateEveningAndEarlyMorning() {
		// 23:30 CET -> ends 07:00 CET next day
		assertThat(this.rule.endOfWindow(NIGHT, BERLIN, Instant.parse("2026-03-10T22:30:00Z")))
			.contains(Instant.parse("2026-03-11T06:00:00Z"));
		// 05:00 CET -> the window that started yesterday ends at 07:00 today
		assertThat(this.rule.endOfWindow(NIGHT, BERLIN, Instant.parse("2026-03-11T04:00:00Z")))
			.contains(Instant.parse("2026-03-11T06:00:00Z"));
	}

	@Test
	void boundariesAreStartInclusiveEndExclusive() {
		assertThat(this.rule.endOfWindow(NIGHT, BERLIN, Instant.parse("2026-03-10T21:00:00Z"))).isPresent();
		assertThat(this.rule.endOfWindow(NIGHT, BERLIN, Instant.parse("2026-03-10T20:59:59Z"))).isEmpty();
		assertThat(this.rule.endOfWindow(NIGHT, BERLIN, Instant.parse("2026-03-11T06:00:00Z"))).isEmpty();
	}

	@Test
	void daytimeIsOutsideANightWindow() {
		assertThat(this.rule.endOfWindow(NIGHT, BERLIN, Instant.parse("2026-03-10T12:00:00Z"))).isEmpty();
	}

	@Test
	void windowWithinOneDay() {
		QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0));
		assertThat(this.rule.endOfWindow(lunch, ZoneOffset.UTC, Instant.parse("2026-03-10T12:30:00Z")))
			.contains(Instant.parse("2026-03-10T13:00:00Z"));
		assertThat(this.rule.endOfWindow(lunch, ZoneOffset.UTC, Instant.parse("2026-03-10T23:30:00Z"))).isEmpty();
	}

	@Test
	void emptyWindowAndNoQuietHoursAreNeverQuiet() {
		QuietHours empty = new QuietHours(LocalTime.of(7, 0), LocalTime.of(7, 0));
		assertThat(this.rule.endOfWindow(empty, BERLIN, Instant.parse("2026-03-10T06:00:00Z"))).isEmpty();
		assertThat(this.rule.endOfWindow(null, BERLIN, Instant.parse("2026-03-10T23:00:00Z"))).isEmpty();
	}

	@Test
	void nightWindowIsAnHourShorterWhenClocksSpringForward() {
		// 2026-03-29: 22:00 CET (21:00Z) to 07:00 CEST (05:00Z)
		assertThat(this.rule.endOfWindow(NIGHT, BERLIN, Instant.parse("2026-03-28T21:00:00Z")))
			.contains(Instant.parse("2026-03-29T05:00:00Z"));
		assertThat(this.rule.endOfWindow(NIGHT, BERLIN, Instant.parse("2026-03-29T04:59:59Z"))).isPresent();
		assertThat(this.rule.endOfWindow(NIGHT, BERLIN, Instant.parse("2026-03-29T05:00:00Z"))).isEmpty();
	}

	@Test
	void boundaryInsideTheSpringGapMovesLaterByTheGap() {
		// 02:30 does not exist on 2026-03-29 in Berlin: it is read as 03:30 CEST
		// (01:30Z).
		QuietHours toHalfPastTwo = new QuietHours(LocalTime.of(1, 0), LocalTime.of(2, 30));
		assertThat(this.rule.endOfWindow(toHalfPastTwo, BERLIN, Instant.parse("2026-03-29T00:30:00Z")))
			.contains(Instant.parse("2026-03-29T01:30:00Z"));
	}

	@Test
	void nightWindowIsAnHourLongerWhenClocksFallBack() {
		// 2026-10-24 22:00 CEST (20:00Z) to 2026-10-25 07:00 CET (06:00Z)
		assertThat(this.rule.endOfWindow(NIGHT, BERLIN, Instant.parse("2026-10-24T20:00:00Z")))
			.contains(Instant.parse("2026-10-25T06:00:00Z"));
	}

	@Test
	void ambiguousBoundariesMakeTheLongestWindow() {
		// 02:00-02:30 happens twice on 2026-10-25 in Berlin: 00:00Z-00:30Z (CEST) and
		// 01:00Z-01:30Z (CET).
		QuietHours ambiguous = new QuietHours(LocalTime.of(2, 0), LocalTime.of(2, 30));
		assertThat(this.rule.endOfWindow(ambiguous, BERLIN, Instant.parse("2026-10-25T00:00:00Z")))
			.contains(Instant.parse("2026-10-25T01:30:00Z"));
		assertThat(this.rule.endOfWindow(ambiguous, BERLIN, Instant.parse("2026-10-25T01:15:00Z")))
			.contains(Instant.parse("2026-10-25T01:30:00Z"));
	}

}
