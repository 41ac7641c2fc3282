package io.herald.ingestion.status;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The event status view.
 *
 * @param retention how long an event's status stays readable after its last change; also
 * how long an event stays in its tenant's list of events and a user's recent deliveries
 * are kept after their last change
 * @param listThreshold up to this many deliveries are listed one by one; above it,
 * {@code GET /v1/events/{id}} answers with counts per channel and state (API.md: 1,000)
 * @param recentDeliveriesPerUser how many of a user's latest deliveries {@code GET
 * /v1/users/{userId}/deliveries} keeps (0: none are kept)
 * @param cancellationMark how long a cancelled event stays marked cancelled for delivery,
 * which checks the mark before every send: longer than a request can wait in the retry
 * topics (docs/adr/029)
 */
@Validated
@ConfigurationProperties("herald.ingestion.status")
public record StatusProperties(@DefaultValue("7d") @NotNull Duration retention,
		@DefaultValue("1000") @Min(1) int listThreshold,
		@DefaultValue("200") @Min(0) @Max(10_000) int recentDeliveriesPerUser,
		@DefaultValue("7d") @NotNull Duration cancellationMark) {
}
