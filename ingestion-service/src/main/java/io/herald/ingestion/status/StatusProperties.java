package io.herald.ingestion.status;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The event status view.
 *
 * @param retention how long an event's status stays readable after its last change
 * @param listThreshold up to this many deliveries are listed one by one; above it,
 * {@code GET /v1/events/{id}} answers with counts per channel and state (API.md: 1,000)
 */
@Validated
@ConfigurationProperties("herald.ingestion.status")
public record StatusProperties(@DefaultValue("7d") @NotNull Duration retention,
		@DefaultValue("1000") @Min(1) int listThreshold) {
}
