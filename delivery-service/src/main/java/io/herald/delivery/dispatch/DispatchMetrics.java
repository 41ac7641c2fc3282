package io.herald.delivery.dispatch;

import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.events.Channel;
import io.herald.events.Lane;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The delivery service's meters:
 * <ul>
 * <li>{@code herald.delivery.sends{channel, provider, outcome, reason}}: provider calls by outcome
 * ({@code sent}, {@code rejected}, {@code failed}) and reason;</li>
 * <li>{@code herald.delivery.send.duration{channel, provider}}: how long a provider took to answer
 * (a histogram);</li>
 * <li>{@code herald.delivery.latency{channel, provider}}: from routing's {@code createdAt} to the
 * provider's acceptance (a histogram);</li>
 * <li>{@code herald.delivery.requests{channel, lane, outcome}}: delivery requests by what became
 * of them: {@code done}, {@code retried}, {@code postponed}, {@code dead_lettered},
 * {@code expired}, {@code fell_back}, {@code invalid};</li>
 * <li>{@code herald.delivery.ledger{channel, answer}}: ledger answers other than a fresh claim
 * ({@code done}, {@code busy}, {@code ambiguous}): how often redelivery was absorbed.</li>
 * </ul>
 * Circuit breakers and rate limiters report through resilience4j's own meters
 * ({@code resilience4j.circuitbreaker.state{name}}, ...), Kafka consumers their lag.
 */
@Component
class DispatchMetrics {

	private final MeterRegistry meters;

	DispatchMetrics(MeterRegistry meters) {
		this.meters = meters;
	}

	void send(Channel channel, String provider, DeliveryOutcome outcome, Duration took) {
		String reason = switch (outcome) {
			case DeliveryOutcome.Sent sent -> "none";
			case DeliveryOutcome.Rejected rejected -> rejected.reason();
			case DeliveryOutcome.Failed failed -> failed.reason();
		};
		Counter.builder("herald.delivery.sends")
			.tag("channel", channel.wireName())
			.tag("provider", provider)
			.tag("outcome", outcome.outcome())
			.tag("reason", reason)
			.register(this.meters)
			.increment();
		Timer.builder("herald.delivery.send.duration")
			.tag("channel", channel.wireName())
			.tag("provider", provider)
			.publishPercentileHistogram()
			.register(this.meters)
			.record(took);
	}

	void latency(Channel channel, String provider, Duration latency) {
		Timer.builder("herald.delivery.latency")
			.tag("channel", channel.wireName())
			.tag("provider", provider)
			.publishPercentileHistogram()
			.register(this.meters)
			.record(latency.isNegative() ? Duration.ZERO : latency);
	}

	void request(Channel channel, Lane lane, String outcome) {
		Counter.builder("herald.delivery.requests")
			.tag("channel", channel.wireName())
			.tag("lane", lane.topicSuffix())
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	void ledger(Channel channel, String answer) {
		this.meters.counter("herald.delivery.ledger", "channel", channel.wireName(), "answer", answer).increment();
	}

}
