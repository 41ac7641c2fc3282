package io.herald.ingestion.webhook;

import io.herald.ingestion.webhook.RetrySchedule.Decision.GiveUp;
import io.herald.ingestion.webhook.RetrySchedule.Decision.Limit;
import io.herald.ingestion.webhook.RetrySchedule.Decision.Retry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry schedule with the default settings: 8 tries, backoff 5 s × 4ⁿ up to 1 h, a
 * maximum age of 24 h. Without jitter unless a test says so, so that every wait is exact.
 */
class RetryScheduleTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

	private static final WebhookProperties DEFAULTS = new WebhookProperties(20, false, Duration.ofSeconds(2),
			Duration.ofSeconds(10), 4, 8, Duration.ofSeconds(5), 4, Duration.ofHours(1), 0.5, Duration.ofHours(24),
			Duration.ofHours(24), 2, Duration.ofSeconds(10));

	private final RetrySchedule schedule = new RetrySchedule(DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), () -> 0);

	private final Instant justMade = NOW.minusSeconds(1);

	@Test
	void eachRetryLevelIsForTheBackoffAfterItsTry() {
		assertThat(List.of(1, 2, 3, 4, 5, 6, 7)).extracting(this.schedule::levelDelay)
			.containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(80),
					Duration.ofSeconds(320), Duration.ofSeconds(1280), Duration.ofHours(1), Duration.ofHours(1));
		assertThat(this.schedule.longestWait()).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void withoutRetryAfterAFailedTryWaitsItsBackoffInTheLevelOfTheTry() {
		assertThat(this.schedule.afterFailure(1, this.justMade, null)).isEqualTo(retry(1, Duration.ofSeconds(5)));
		assertThat(this.schedule.afterFailure(3, this.justMade, null)).isEqualTo(retry(3, Duration.ofSeconds(80)));
		assertThat(this.schedule.afterFailure(7, this.justMade, null)).isEqualTo(retry(6, Duration.ofHours(1)));
	}

	@Test
	void aRetryAfterShorterThanTheBackoffChangesNothing() {
		assertThat(this.schedule.afterFailure(2, this.justMade, "3")).isEqualTo(retry(2, Duration.ofSeconds(20)));
		assertThat(this.schedule.afterFailure(2, this.justMade, "20")).isEqualTo(retry(2, Duration.ofSeconds(20)));
	}

	@Test
	void aLongerRetryAfterIsWaitedInTheFirstLevelWhoseDelayIsAtLeastIt() {
		assertThat(this.schedule.afterFailure(1, this.justMade, "60")).isEqualTo(retry(3, Duration.ofSeconds(60)));
		assertThat(this.schedule.afterFailure(1, this.justMade, "80")).isEqualTo(retry(3, Duration.ofSeconds(80)));
		assertThat(this.schedule.afterFailure(1, this.justMade, " 81 ")).isEqualTo(retry(4, Duration.ofSeconds(81)));
		assertThat(this.schedule.afterFailure(4, this.justMade, "600")).isEqualTo(retry(5, Duration.ofSeconds(600)));
	}

	@Test
	void aHugeRetryAfterIsCappedAtTheLongestWait() {
		Retry capped = retry(6, Duration.ofHours(1));
		assertThat(this.schedule.afterFailure(1, this.justMade, "3601")).isEqualTo(capped);
		assertThat(this.schedule.afterFailure(1, this.justMade, "999999999")).isEqualTo(capped);
		assertThat(this.schedule.afterFailure(1, this.justMade, "99999999999999999999999")).isEqualTo(capped);
		assertThat(this.schedule.afterFailure(1, this.justMade, httpDate(NOW.plus(Duration.ofDays(400)))))
			.isEqualTo(capped);
	}

	@Test
	void aRetryAfterDateIsWaitedFor() {
		assertThat(this.schedule.afterFailure(1, this.justMade, httpDate(NOW.plusSeconds(300))))
			.isEqualTo(retry(4, Duration.ofSeconds(300)));
	}

	@Test
	void aRetryAfterDateInThePastOrNowAsksForNoWait() {
		assertThat(this.schedule.afterFailure(2, this.justMade, httpDate(NOW.minusSeconds(3600))))
			.isEqualTo(retry(2, Duration.ofSeconds(20)));
		assertThat(this.schedule.afterFailure(2, this.justMade, httpDate(NOW)))
			.isEqualTo(retry(2, Duration.ofSeconds(20)));
		assertThat(this.schedule.afterFailure(2, this.justMade, "0")).isEqualTo(retry(2, Duration.ofSeconds(20)));
	}

	@Test
	void anUnreadableRetryAfterIsIgnored() {
		for (String garbage : List.of("", "   ", "soon", "-5", "+5", "1.5", "1e3", "5 s", "0x10", "Sun, 99 Foo 2026",
				"2026-11-22T10:05:00Z", "9".repeat(65))) {
			assertThat(this.schedule.retryAfter(garbage)).as(garbage).isNull();
			assertThat(this.schedule.afterFailure(2, this.justMade, garbage)).as(garbage)
				.isEqualTo(retry(2, Duration.ofSeconds(20)));
		}
	}

	@Test
	void theLastTryIsGivenUpWhateverTheRetryAfter() {
		assertThat(this.schedule.afterFailure(8, this.justMade, null)).isEqualTo(new GiveUp(Limit.ATTEMPTS));
		assertThat(this.schedule.afterFailure(8, this.justMade, "5")).isEqualTo(new GiveUp(Limit.ATTEMPTS));
	}

	@Test
	void aRetryThatWouldBeDueAfterTheMaximumAgeIsGivenUp() {
		Instant madeLongAgo = NOW.minus(Duration.ofHours(24)).plusSeconds(30);
		assertThat(this.schedule.afterFailure(1, madeLongAgo, null)).isEqualTo(retry(1, Duration.ofSeconds(5)));
		assertThat(this.schedule.afterFailure(1, madeLongAgo, "60")).isEqualTo(new GiveUp(Limit.MAX_AGE));
		assertThat(this.schedule.afterFailure(3, madeLongAgo, null)).isEqualTo(new GiveUp(Limit.MAX_AGE));
	}

	@Test
	void aPostponedCallUsesNoTryAndWaitsInTheFirstLevel() {
		assertThat(this.schedule.postpone(this.justMade)).isEqualTo(retry(1, Duration.ofSeconds(5)));
	}

	@Test
	void aCallPostponedPastItsMaximumAgeIsGivenUp() {
		assertThat(this.schedule.postpone(NOW.minus(Duration.ofHours(24)))).isEqualTo(new GiveUp(Limit.MAX_AGE));
		assertThat(this.schedule.postpone(NOW.minus(Duration.ofDays(365)))).isEqualTo(new GiveUp(Limit.MAX_AGE));
	}

	@Test
	void creationTimesAtTheEndsOfTimeNeitherOverflowNorWedgeTheSchedule() {
		assertThat(this.schedule.postpone(Instant.MIN)).isEqualTo(new GiveUp(Limit.MAX_AGE));
		assertThat(this.schedule.afterFailure(1, Instant.MIN, "60")).isEqualTo(new GiveUp(Limit.MAX_AGE));
		assertThat(this.schedule.postpone(Instant.MAX)).isInstanceOf(Retry.class);
		assertThat(this.schedule.afterFailure(1, Instant.MAX, null)).isInstanceOf(Retry.class);
	}

	@Test
	void jitterShortensAWaitByUpToItsShare() {
		RetrySchedule jittered = new RetrySchedule(DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), () -> 1.0);
		assertThat(jittered.afterFailure(2, this.justMade, null)).isEqualTo(retry(2, Duration.ofSeconds(10)));
		assertThat(jittered.postpone(this.justMade)).isEqualTo(retry(1, Duration.ofMillis(2500)));
		assertThat(jittered.afterFailure(1, this.justMade, "60")).as("a Retry-After is not jittered")
			.isEqualTo(retry(3, Duration.ofSeconds(60)));
	}

	private static Retry retry(int level, Duration wait) {
		return new Retry(level, NOW.plus(wait));
	}

	private static String httpDate(Instant at) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atZone(ZoneOffset.UTC));
	}

}
