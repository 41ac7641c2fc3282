package io.herald.routing.topology;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the routing topology. Rate limits are {@code herald.routing.rate-limits}
 * ({@link io.herald.routing.ratelimit.RateLimitProperties}).
 *
 * @param dedupWindow how long a routed event is remembered per user, in record time; a
 * copy of the event within this window produces nothing (the ingestion's idempotency
 * window is 24 h)
 * @param releaseInterval how often, in wall-clock time, held deliveries and digests that
 * are due are released
 * @param releaseBatch most held deliveries released by one task per interval, to bound
 * the work of one punctuation; the rest follow at the next interval
 * @param criticalThreads stream threads of the critical routing application, which routes
 * {@code herald.events.critical} and nothing else (docs/adr/014)
 * @param cancellationRetention how long, in wall-clock time, a partition remembers a
 * cancelled event, so that a copy of it that reaches the router after the cancellation is
 * not delivered; far longer than any repartition lag (docs/adr/029)
 */
@Validated
@ConfigurationProperties("herald.routing")
public record RoutingProperties(@DefaultValue("24h") @NotNull Duration dedupWindow,
		@DefaultValue("1s") @NotNull Duration releaseInterval, @DefaultValue("10000") @Min(1) int releaseBatch,
		@DefaultValue("1") @Min(1) int criticalThreads, @DefaultValue("7d") @NotNull Duration cancellationRetention) {

	/** The defaults. */
	public static RoutingProperties defaults() {
		return new RoutingProperties(Duration.ofHours(24), Duration.ofSeconds(1), 10_000, 1, Duration.ofDays(7));
	}

}
