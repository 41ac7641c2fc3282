package io.herald.ingestion.ingest;

import io.herald.events.Priority;
import io.herald.support.metrics.Funnel;
import io.herald.support.metrics.Funnel.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The ingestion funnel's meters: {@code herald.ingestion.events} by tenant, outcome
 * ({@code accepted}, {@code duplicate}, {@code rejected}) and reason, and the time the
 * event log took to acknowledge ({@code herald.ingestion.publish}, a histogram). The same
 * counts feed the first two stages of the {@link Funnel}: {@code emitted} (every event
 * received) and {@code accepted} (by outcome).
 */
@Component
class IngestionMetrics {

	private static final String UNKNOWN = "unknown";

	private final MeterRegistry registry;

	private final Timer publishSucceeded;

	private final Timer publishFailed;

	private final Funnel funnel;

	IngestionMetrics(MeterRegistry registry, Funnel funnel) {
		this.registry = registry;
		this.funnel = funnel;
		this.publishSucceeded = publishTimer(registry, "success");
		this.publishFailed = publishTimer(registry, "failure");
	}

	void accepted(String tenant, Priority priority) {
		count(tenant, priority.wireName(), "accepted", Funnel.NO_REASON, 1);
	}

	void duplicate(String tenant, Priority priority) {
		count(tenant, priority.wireName(), "duplicate", "idempotency_key", 1);
	}

	/** Events refused before their priority was known (invalid, rate-limited). */
	void rejected(String tenant, String reason, int events) {
		count(tenant, UNKNOWN, "rejected", reason, events);
	}

	void rejected(String tenant, Priority priority, String reason) {
		count(tenant, priority.wireName(), "rejected", reason, 1);
	}

	void published(Duration took, boolean success) {
		(success ? this.publishSucceeded : this.publishFailed).record(took);
	}

	private void count(String tenant, String priority, String outcome, String reason, int events) {
		this.funnel.count(Stage.EMITTED, tenant, Funnel.ALL_CHANNELS, priority, "received", Funnel.NO_REASON, events);
		this.funnel.count(Stage.ACCEPTED, tenant, Funnel.ALL_CHANNELS, priority, outcome, reason, events);
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
