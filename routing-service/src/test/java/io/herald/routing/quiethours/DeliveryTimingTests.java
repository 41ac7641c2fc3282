package io.herald.routing.quiethours;

import io.herald.events.Preferences.QuietHours;
import io.herald.events.Priority;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryTimingTests {

	private static final QuietHours NIGHT = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0));

	private static final Instant LATE = Instant.parse("2026-03-10T22:30:00Z");

	private final DeliveryTiming timing = new DeliveryTiming();

	@Test
	void deliversNowOutsideQuietHours() {
		assertThat(this.timing.decide(null, Priority.NORMAL, NIGHT, "Europe/Berlin",
				Instant.parse("2026-03-10T12:00:00Z")))
			.isEqualTo(new Timing.Now());
	}

	@Test
	void holdsNonCriticalUntilTheEndOfQuietHours() {
		assertThat(this.timing.decide(null, Priority.HIGH, NIGHT, "Europe/Berlin", LATE))
			.isEqualTo(new Timing.Hold(Instant.parse("2026-03-11T06:00:00Z"), "quiet_hours"));
	}

	@Test
	void criticalBypassesQuietHours() {
		assertThat(this.timing.decide(null, Priority.CRITICAL, NIGHT, "Europe/Berlin", LATE))
			.isEqualTo(new Timing.Now());
	}

	@Test
	void holdsUntilSendAtEvenWhenCritical() {
		Instant sendAt = LATE.plusSeconds(60);
		assertThat(this.timing.decide(sendAt, Priority.CRITICAL, null, null, LATE))
			.isEqualTo(new Timing.Hold(sendAt, "send_at"));
		assertThat(this.timing.decide(LATE.minusSeconds(1), Priority.CRITICAL, null, null, LATE))
			.isEqualTo(new Timing.Now());
	}

	@Test
	void unknownTimezoneMeansUtc() {
		// 22:30Z is inside 22:00-07:00 in UTC
		assertThat(this.timing.decide(null, Priority.LOW, NIGHT, "Mars/Olympus", LATE))
			.isEqualTo(new Timing.Hold(Instant.parse("2026-03-11T07:00:00Z"), "quiet_hours"));
	}

}
