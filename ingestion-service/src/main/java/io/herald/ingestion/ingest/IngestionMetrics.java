package io.herald.ingestion.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The ingestion funnel's meters: {@code herald.ingestion.events} by tenant, outcome
 * ({@code accepted}, {@code duplicate}, {@code rejected}) and reason, and the time the event log
 * took to acknowledge ({@code herald.ingestion.publish}, a histogram).
 */
@Component
class IngestionMetrics {

	private final MeterRegistry registry;

	private final Timer publishSucceeded;

	private final Timer publishFailed;

	IngestionMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.publishSucceeded = publishTimer(registry, "success");
		this.publishFailed = publishTimer(registry, "failure");
	}

	void accepted(String tenant) {
		count(tenant, "accepted", "none", 1);
	}

	void duplicate(String tenant) {
		count(tenant, "duplicate", "idempotency_key", 1);
	}

	void rejected(String tenant, String reason, int events) {
		count(tenant, "rejected", reason, events);
	}

	void published(Duration took, boolean success) {
		(success ? this.publishSucceeded : this.publishFailed).record(took);
	}

	private void count(String tenant, String outcome, String reason, int events) {
		Counter.builder("herald.ingestion.events")
			.description("Events received, by outcome")
			.tag("tenant", tenant)
			.tag("outcome", outcome)
			.tag("reason", reason)
			.register(this.registry)
			.increment(events);
	}

	private static Timer publishTimer(MeterRegistry registry, String result) {
		return Timer.builder("herald.ingestion.publish")
			.description("Time from sending an event to the event log's acknowledgement by all in-sync replicas")
			.tag("result", result)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(registry);
	}

}
