package io.herald.delivery.provider;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

	@Test
	void readsWholeSeconds() {
		assertThat(RetryAfter.parse(" 120 ", CLOCK)).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void readsAnHttpDateFromTheClock() {
		assertThat(RetryAfter.parse("Sun, 22 Nov 2026 12:00:30 GMT", CLOCK)).isEqualTo(Duration.ofSeconds(30));
		assertThat(RetryAfter.parse("Sun, 22 Nov 2026 11:00:00 GMT", CLOCK)).isEqualTo(Duration.ZERO);
	}

	@Test
	void anAbsentOrUnreadableValueAsksForNoWait() {
		assertThat(RetryAfter.parse(null, CLOCK)).isNull();
		assertThat(RetryAfter.parse("", CLOCK)).isNull();
		assertThat(RetryAfter.parse("soon", CLOCK)).isNull();
		assertThat(RetryAfter.parse("-5", CLOCK)).isEqualTo(Duration.ZERO);
	}

}
