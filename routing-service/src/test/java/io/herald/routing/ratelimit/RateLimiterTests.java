package io.herald.routing.ratelimit;

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
		RateDecision first = this.limiter.acquire(null, TWO_PER_HOUR, NOW, "e-1");
		assertThat(first).isInstanceOf(RateDecision.Allowed.class);
		RateDecision second = this.limiter.acquire(history(first), TWO_PER_HOUR, NOW.plusSeconds(60), "e-2");
		assertThat(second).isInstanceOf(RateDecision.Allowed.class);
		RateDecision third = this.limiter.acquire(history(second), TWO_PER_HOUR, NOW.plusSeconds(120), "e-3");
		assertThat(third).isEqualTo(new RateDecision.Limited(history(second), NOW.plus(Duration.ofHours(1))));
	}

	@Test
	void slidesTheWindowSoNoBurstAtABoundaryExceedsTheLimit() {
		List<Long> history = List.of(RateLimiter.entry(NOW, "e-1"), RateLimiter.entry(NOW.plusSeconds(3000), "e-2"));
		assertThat(this.limiter.acquire(history, TWO_PER_HOUR, NOW.plusSeconds(3599), "e-3"))
			.isInstanceOf(RateDecision.Limited.class);
		RateDecision later = this.limiter.acquire(history, TWO_PER_HOUR, NOW.plusSeconds(3600), "e-3");
		assertThat(later).isEqualTo(new RateDecision.Allowed(List.of(RateLimiter.entry(NOW.plusSeconds(3000), "e-2"),
				RateLimiter.entry(NOW.plusSeconds(3600), "e-3"))));
	}

	@Test
	void countsADeliveryAskedForAgainOnceAndNeverRefusesWhatItGranted() {
		RateDecision first = this.limiter.acquire(null, TWO_PER_HOUR, NOW, "e-1");
		RateDecision second = this.limiter.acquire(history(first), TWO_PER_HOUR, NOW.plusSeconds(60), "e-2");

		// Routed again after a crash, or released twice from hold: the limit is full, and
		// yet both go out again, and the history stays as it was.
		assertThat(this.limiter.acquire(history(second), TWO_PER_HOUR, NOW.plusSeconds(90), "e-2"))
			.isEqualTo(new RateDecision.Allowed(history(second)));
		assertThat(this.limiter.acquire(history(second), TWO_PER_HOUR, NOW.plusSeconds(90), "e-1"))
			.isEqualTo(new RateDecision.Allowed(history(second)));
		assertThat(this.limiter.acquire(history(second), TWO_PER_HOUR, NOW.plusSeconds(90), "e-3"))
			.isInstanceOf(RateDecision.Limited.class);
	}

	@Test
	void countsTheSameEventAgainOnceItsEntryLeftTheWindow() {
		RateDecision first = this.limiter.acquire(null, TWO_PER_HOUR, NOW, "e-1");

		assertThat(this.limiter.acquire(history(first), TWO_PER_HOUR, NOW.plusSeconds(3600), "e-1"))
			.isEqualTo(new RateDecision.Allowed(List.of(RateLimiter.entry(NOW.plusSeconds(3600), "e-1"))));
	}

	@Test
	void readsTheSendTimesOfEarlierVersionsAsDeliveriesOfNoKnownEvent() {
		List<Long> earlier = List.of(NOW.toEpochMilli(), NOW.plusSeconds(60).toEpochMilli());

		assertThat(this.limiter.acquire(earlier, TWO_PER_HOUR, NOW.plusSeconds(120), "e-1"))
			.isEqualTo(new RateDecision.Limited(earlier, NOW.plus(Duration.ofHours(1))));
		assertThat(this.limiter.acquire(earlier, TWO_PER_HOUR, NOW.plusSeconds(3601), "e-1"))
			.isEqualTo(new RateDecision.Allowed(
					List.of(NOW.plusSeconds(60).toEpochMilli(), RateLimiter.entry(NOW.plusSeconds(3601), "e-1"))));
	}

	@Test
	void keepsTheSendTimeOfAnEntryToTheSecond() {
		Instant sentAt = Instant.parse("2087-12-31T23:59:59.750Z");

		assertThat(RateLimiter.sentAtMillis(RateLimiter.entry(sentAt, "e-1")))
			.isEqualTo(Instant.parse("2087-12-31T23:59:59Z").toEpochMilli());
		assertThat(RateLimiter.entry(sentAt, "e-1")).isNotEqualTo(RateLimiter.entry(sentAt, "e-2"));
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
