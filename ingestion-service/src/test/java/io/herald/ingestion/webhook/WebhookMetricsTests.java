package io.herald.ingestion.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook meters: registered once per set of tags, then counted on without a registry
 * lookup.
 */
class WebhookMetricsTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final WebhookMetrics metrics = new WebhookMetrics(this.registry);

	@Test
	void callsAreCountedByTenantAndOutcomeAndTimedByOutcome() {
		this.metrics.call("acme", "delivered", Duration.ofMillis(30));
		this.metrics.call("acme", "delivered", Duration.ofMillis(50));
		this.metrics.call("globex", "delivered", Duration.ofMillis(10));
		this.metrics.call("acme", "failed", Duration.ofMillis(2000));
		this.metrics.counted("acme", "postponed");

		assertThat(this.registry.get("herald.webhooks.calls")
			.tags("tenant", "acme", "outcome", "delivered")
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.registry.get("herald.webhooks.calls")
			.tags("tenant", "globex", "outcome", "delivered")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("herald.webhooks.calls")
			.tags("tenant", "acme", "outcome", "postponed")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("herald.webhooks.call.duration").tags("outcome", "delivered").timer().count())
			.isEqualTo(3);
		assertThat(this.registry.get("herald.webhooks.call.duration").tags("outcome", "failed").timer().count())
			.isEqualTo(1);
	}

	@Test
	void deadLettersAreCountedByReason() {
		this.metrics.deadLettered("gave_up_attempts");
		this.metrics.deadLettered("gave_up_attempts");
		this.metrics.deadLettered("malformed_json");
		assertThat(
				this.registry.get("herald.webhooks.dead.letters").tags("reason", "gave_up_attempts").counter().count())
			.isEqualTo(2);
		assertThat(this.registry.get("herald.webhooks.dead.letters").tags("reason", "malformed_json").counter().count())
			.isEqualTo(1);
	}

	@Test
	void eachMeterIsMadeOnceAndHeldForLaterCalls() {
		assertThat(this.metrics.calls("acme", "delivered")).isSameAs(this.metrics.calls("acme", "delivered"))
			.isNotSameAs(this.metrics.calls("acme", "failed"));
		assertThat(this.metrics.duration("delivered")).isSameAs(this.metrics.duration("delivered"));
		assertThat(this.metrics.deadLetters("endpoint_gone")).isSameAs(this.metrics.deadLetters("endpoint_gone"));
		// Held, not looked up again: a meter removed from the registry goes on counting
		// where the metrics hold it, and the registry is not asked for it again.
		this.registry.remove(this.metrics.calls("acme", "delivered"));
		this.metrics.call("acme", "delivered", Duration.ofMillis(1));
		assertThat(this.metrics.calls("acme", "delivered").count()).isEqualTo(1);
		assertThat(this.registry.find("herald.webhooks.calls").tags("tenant", "acme", "outcome", "delivered").counter())
			.isNull();
	}

}
