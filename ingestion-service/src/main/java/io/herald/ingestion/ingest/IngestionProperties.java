package io.herald.ingestion.ingest;

import io.herald.ingestion.idempotency.IdempotencySettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Limits and timeouts of event ingestion.
 *
 * @param maxEventBody largest body of {@code POST /v1/events} (API.md: 64 KiB)
 * @param maxBatchBody largest body of {@code POST /v1/events:batch}
 * @param maxBatchEvents most events in one batch (API.md: 500)
 * @param maxRecipients most users named in one event (API.md: 10,000)
 * @param maxData largest {@code data} object, serialized (API.md: 16 KiB)
 * @param maxSendAtAhead how far in the future {@code sendAt} may lie
 * @param publishTimeout how long a request waits for the event log's acknowledgement
 * before answering {@code 503}; the producer's {@code delivery.timeout.ms} ends that wait
 * and must stay below it (checked at start by {@link EventPublisher})
 * @param unavailableRetryAfter the {@code Retry-After} of a {@code 503}
 * @param idempotencyWindow how long an idempotency key is remembered (API.md: 24 h)
 * @param idempotencySyncReplicas how many Redis replicas must have a new idempotency
 * claim before its event is published (Redis {@code WAIT}, docs/adr/021); 0 waits for
 * none. With 1 and one replica, a failover cannot forget a claim whose event is in the
 * log, so a retried request never publishes the event again under another id
 * @param idempotencySyncTimeout how long a claim waits for
 * {@link #idempotencySyncReplicas()}; then the request answers {@code 503} and the claim
 * is left for the retry to take over
 */
@Validated
@ConfigurationProperties("herald.ingestion")
public record IngestionProperties(@DefaultValue("64KB") @NotNull DataSize maxEventBody,
		@DefaultValue("4MB") @NotNull DataSize maxBatchBody,
		@DefaultValue("500") @Min(1) @Max(10_000) int maxBatchEvents, @DefaultValue("10000") @Min(1) int maxRecipients,
		@DefaultValue("16KB") @NotNull DataSize maxData, @DefaultValue("366d") @NotNull Duration maxSendAtAhead,
		@DefaultValue("6s") @NotNull Duration publishTimeout,
		@DefaultValue("5s") @NotNull Duration unavailableRetryAfter,
		@DefaultValue("24h") @NotNull Duration idempotencyWindow,
		@DefaultValue("0") @Min(0) int idempotencySyncReplicas,
		@DefaultValue("1s") @NotNull Duration idempotencySyncTimeout) {

	/** The settings of the idempotency keys. */
	public IdempotencySettings idempotency() {
		return new IdempotencySettings(this.idempotencyWindow, this.publishTimeout, this.idempotencySyncReplicas,
				this.idempotencySyncTimeout);
	}

}
