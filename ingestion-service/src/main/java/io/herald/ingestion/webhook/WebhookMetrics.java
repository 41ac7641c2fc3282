package io.herald.ingestion.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The webhook meters: {@code herald.webhooks.dispatched} (calls made from state changes),
 * {@code herald.webhooks.calls{tenant, outcome}} (tries by outcome: {@code delivered}, {@code failed},
 * {@code rejected}, {@code gone}, and {@code postponed}, {@code dropped} for calls not tried),
 * {@code herald.webhooks.call.duration{outcome}} (a histogram), {@code herald.webhooks.retries} and
 * {@code herald.webhooks.dead.letters{reason}}.
 */
@Component
class WebhookMetrics {

	private final MeterRegistry meters;

	private final Counter dispatched;

	private final Counter retries;

	private final Counter undecodable;

	WebhookMetrics(MeterRegistry meters) {
		this.meters = meters;
		this.dispatched = Counter.builder("herald.webhooks.dispatched")
			.description("Webhook calls made from delivery state changes")
			.register(meters);
		this.retries = Counter.builder("herald.webhooks.retries")
			.description("Webhook calls sent to a retry topic")
			.register(meters);
		this.undecodable = Counter.builder("herald.webhooks.status.undecodable")
			.description("Status records the dispatcher could not read (the status view dead-letters them)")
			.register(meters);
	}

	void dispatched(int calls) {
		this.dispatched.increment(calls);
	}

	void undecodable() {
		this.undecodable.increment();
	}

	void call(String tenant, String outcome, Duration took) {
		counted(tenant, outcome);
		Timer.builder("herald.webhooks.call.duration")
			.description("Time of one try of a webhook call, answer included")
			.tag("outcome", outcome)
			.publishPercentileHistogram()
			.register(this.meters)
			.record(took);
	}

	void counted(String tenant, String outcome) {
		this.meters.counter("herald.webhooks.calls", "tenant", tenant, "outcome", outcome).increment();
	}

	void retried() {
		this.retries.increment();
	}

	void deadLettered(String reason) {
		this.meters.counter("herald.webhooks.dead.letters", "reason", reason).increment();
	}

}
