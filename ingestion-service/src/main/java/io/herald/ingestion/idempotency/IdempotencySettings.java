package io.herald.ingestion.idempotency;

import java.time.Duration;

/**
 * How idempotency keys are kept.
 *
 * @param window how long a key is remembered (API.md: 24 h)
 * @param publishTimeout how long a request waits for the event log; a claim's lease
 * outlasts it
 * @param syncReplicas how many Redis replicas must have a new claim before its event is
 * published; 0 waits for none
 * @param syncTimeout how long a claim waits for {@code syncReplicas}
 */
public record IdempotencySettings(Duration window, Duration publishTimeout, int syncReplicas, Duration syncTimeout) {
}
