package io.herald.routing.dedup;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateLimiterTests {

	private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

	private static final RateLimit TWO_PER_HOUR = new RateLimit(2, Duration.ofHours(1));

	private final RateLimiter limiter = new RateLimiter();

	@Test
	void allowsUpToTheLimitWithinTheWindow() {
		RateDecision first = this.limiter.acquire(null, TWO_PER_HOUR, NOW);
		assertThat(first).isInstanceOf(RateDecision.Allowed.class);
		RateDecision second = this.limiter.acquire(history(first), TWO_PER_HOUR, NOW.plusSeconds(60));
		assertThat(second).isInstanceOf(RateDecision.Allowed.class);
		RateDecision third = this.limiter.acquire(history(second), TWO_PER_HOUR, NOW.plusSeconds(120));
		assertThat(third).isEqualTo(new RateDecision.Limited(history(second), NOW.plus(Duration.ofHours(1))));
	}

	@Test
	void slidesTheWindowSoNoBurstAtABoundaryExceedsTheLimit() {
		List<Long> history = List.of(NOW.toEpochMilli(), NOW.plusSeconds(3000).toEpochMilli());
		assertThat(this.limiter.acquire(history, TWO_PER_HOUR, NOW.plusSeconds(3599)))
			.isInstanceOf(RateDecision.Limited.class);
		RateDecision later = this.limiter.acquire(history, TWO_PER_HOUR, NOW.plusSeconds(3600));
		assertThat(later).isEqualTo(new RateDecision.Allowed(
				List.of(NOW.plusSeconds(3000).toEpochMilli(), NOW.plusSeconds(3600).toEpochMilli())));
	}

	@Test
	void rejectsLimitsThatAllowNothing() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(0, Duration.ofHours(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(1, Duration.ZERO));
	}

	@Test
	void defaultsLimitPaidChannelsAndLeaveInAppUnlimited() {
		RateLimitProperties defaults = new RateLimitProperties(null);
		assertThat(defaults.limitFor(io.herald.events.Channel.SMS)).isNotNull();
		assertThat(defaults.limitFor(io.herald.events.Channel.INAPP)).isNull();
	}

	private static List<Long> history(RateDecision decision) {
		return switch (decision) {
			case RateDecision.Allowed allowed -> allowed.history();
			case RateDecision.Limited limited -> limited.history();
		};
	}

}
