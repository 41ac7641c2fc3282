package io.herald.ingestion.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The webhook meters: {@code herald.webhooks.dispatched} (calls made from state changes),
 * {@code herald.webhooks.calls{tenant, outcome}} (tries by outcome: {@code delivered},
 * {@code failed}, {@code rejected}, {@code gone}, and {@code postponed}, {@code dropped}
 * for calls not tried), {@code herald.webhooks.call.duration{outcome}} (a histogram),
 * {@code herald.webhooks.retries}, {@code herald.webhooks.dead.letters{reason}} and
 * {@code herald.webhooks.status.undecodable}.
 *
 * <p>
 * Every meter is registered once, the first time its tags occur, and kept: a call counts
 * on a meter it holds, without building an id and looking it up in the registry.
 */
@Component
class WebhookMetrics {

	private final MeterRegistry meters;

	private final Counter dispatched;

	private final Counter retries;

	private final Counter undecodable;

	private final Map<TenantOutcome, Counter> calls = new ConcurrentHashMap<>();

	private final Map<String, Timer> durations = new ConcurrentHashMap<>();

	private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();

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
		duration(outcome).record(took);
	}

	void counted(String tenant, String outcome) {
		calls(tenant, outcome).increment();
	}

	void retried() {
		this.retries.increment();
	}

	void deadLettered(String reason) {
		deadLetters(reason).increment();
	}

	/** The counter of a tenant's tries with an outcome. */
	Counter calls(String tenant, String outcome) {
		return this.calls.computeIfAbsent(new TenantOutcome(tenant, outcome),
				(key) -> Counter.builder("herald.webhooks.calls")
					.description("Tries of webhook calls, and calls not tried, by outcome")
					.tag("tenant", tenant)
					.tag("outcome", outcome)
					.register(this.meters));
	}

	/** The timer of the tries with an outcome. */
	Timer duration(String outcome) {
		return this.durations.computeIfAbsent(outcome,
				(key) -> Timer.builder("herald.webhooks.call.duration")
					.description("Time of one try of a webhook call, answer included")
					.tag("outcome", outcome)
					.publishPercentileHistogram()
					.register(this.meters));
	}

	/** The counter of the calls dead-lettered for a reason. */
	Counter deadLetters(String reason) {
		return this.deadLetters.computeIfAbsent(reason,
				(key) -> Counter.builder("herald.webhooks.dead.letters")
					.description("Webhook calls and records given up, by reason")
					.tag("reason", reason)
					.register(this.meters));
	}

	private record TenantOutcome(String tenant, String outcome) {
	}

}
