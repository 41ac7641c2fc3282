package io.herald.delivery.retry;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How failed sends are tried again.
 *
 * @param attempts tries in all, the first included; after the last, the request goes to
 * the lane's dead-letter topic. Each retry has its own topic ({@code <lane>.retry-<n>}),
 * so this also sets how many retry topics a lane has
 * @param initialDelay the delay before the first retry
 * @param multiplier each later retry waits this many times longer (exponential backoff)
 * @param maxDelay no retry waits longer than this (a provider's {@code Retry-After} may)
 * @param jitter the share of each delay drawn at random, so that requests that failed
 * together do not come back together: 0.5 makes a 10 s delay anything from 5 to 10 s
 * @param maxRetryAfter the longest wait a provider's {@code Retry-After} can ask for: a
 * longer one (days, or a number no provider means) waits this long. A request waits in
 * the first retry topic whose delay is at least its wait, or in the last, whose partition
 * it then holds for as long
 */
@Validated
@ConfigurationProperties("herald.delivery.retry")
public record RetryProperties(@DefaultValue("6") @Min(1) @Max(20) int attempts,
		@DefaultValue("1s") @NotNull Duration initialDelay, @DefaultValue("4") @DecimalMin("1.0") double multiplier,
		@DefaultValue("10m") @NotNull Duration maxDelay,
		@DefaultValue("0.5") @DecimalMin("0.0") @DecimalMax("1.0") double jitter,
		@DefaultValue("10m") @NotNull Duration maxRetryAfter) {

	public RetryProperties {
		if (maxRetryAfter != null && (maxRetryAfter.isNegative() || maxRetryAfter.isZero())) {
			throw new IllegalArgumentException(
					"herald.delivery.retry.max-retry-after must be positive, but was " + maxRetryAfter);
		}
	}

	/** How many retry topics each lane has. */
	public int levels() {
		return Math.max(this.attempts - 1, 1);
	}

}
