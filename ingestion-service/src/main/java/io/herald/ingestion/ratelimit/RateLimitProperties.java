package io.herald.ingestion.ratelimit;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The default rate limit of an API key, in events (a batch of 50 counts 50). A key may
 * set its own with {@code herald.api-keys[].events-per-second}.
 *
 * @param eventsPerSecond the sustained rate
 * @param burstSeconds how many seconds of the sustained rate may arrive at once
 */
@Validated
@ConfigurationProperties("herald.ingestion.rate-limit")
public record RateLimitProperties(@DefaultValue("1000") @Min(1) int eventsPerSecond,
		@DefaultValue("2") @Min(1) int burstSeconds) {
}
