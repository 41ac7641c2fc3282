package io.herald.delivery.retry;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

	private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private final RetryProperties properties = new RetryProperties(4, Duration.ofSeconds(1), 4.0, Duration.ofSeconds(10),
			0.5);

	@Test
	void backsOffExponentiallyWithoutJitterWhenTheDrawIsZero() {
		RetryPolicy policy = new RetryPolicy(this.properties, CLOCK, () -> 0.0);
		assertThat(policy.delay(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.delay(2)).isEqualTo(Duration.ofSeconds(4));
		assertThat(policy.delay(3)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void jitterShortensADelayByAtMostItsShare() {
		RetryPolicy policy = new RetryPolicy(this.properties, CLOCK, () -> 1.0);
		assertThat(policy.delay(2)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void retriesGoToTheLevelOfTheirTryAndAreDueAfterTheDelay() {
		RetryPolicy policy = new RetryPolicy(this.properties, CLOCK, () -> 0.0);
		assertThat(policy.afterFailure(1, null))
			.isEqualTo(new RetryPolicy.Decision.Retry(2, 1, NOW.plusSeconds(1)));
		assertThat(policy.afterFailure(3, null))
			.isEqualTo(new RetryPolicy.Decision.Retry(4, 3, NOW.plusSeconds(10)));
	}

	@Test
	void givesUpAfterTheLastAttempt() {
		RetryPolicy policy = new RetryPolicy(this.properties, CLOCK, () -> 0.0);
		assertThat(policy.afterFailure(4, null)).isEqualTo(new RetryPolicy.Decision.GiveUp(4));
	}

	@Test
	void neverRetriesSoonerThanTheProviderAsked() {
		RetryPolicy policy = new RetryPolicy(this.properties, CLOCK, () -> 0.0);
		assertThat(policy.afterFailure(1, Duration.ofMinutes(1)))
			.isEqualTo(new RetryPolicy.Decision.Retry(2, 1, NOW.plusSeconds(60)));
	}

	@Test
	void postponingUsesUpNoAttempt() {
		RetryPolicy policy = new RetryPolicy(this.properties, CLOCK, () -> 0.0);
		assertThat(policy.postpone(3, Duration.ofSeconds(30)))
			.isEqualTo(new RetryPolicy.Decision.Retry(3, 1, NOW.plusSeconds(30)));
	}

	@Test
	void aSingleAttemptStillHasOneRetryTopicSoThatPostponingWorks() {
		assertThat(new RetryProperties(1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1), 0).levels()).isEqualTo(1);
	}

}
