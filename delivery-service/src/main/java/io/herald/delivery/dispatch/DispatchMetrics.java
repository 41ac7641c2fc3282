package io.herald.delivery.dispatch;

import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.Lane;
import io.herald.events.UserCommand;
import io.herald.support.metrics.Funnel;
import io.herald.support.metrics.Funnel.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/**
 * The delivery service's meters:
 * <ul>
 * <li>{@code herald.delivery.sends{channel, provider, outcome, reason}}: provider calls
 * by outcome ({@code sent}, {@code rejected}, {@code failed}) and reason;</li>
 * <li>{@code herald.delivery.send.duration{channel, provider}}: how long a provider took
 * to answer (a histogram);</li>
 * <li>{@code herald.delivery.latency{channel, provider}}: from routing's
 * {@code createdAt} to the provider's acceptance (a histogram);
 * {@code herald.funnel.latency{to="provider"}} measures the same from the event's
 * acceptance;</li>
 * <li>{@code herald.delivery.requests{channel, lane, outcome}}: delivery requests by what
 * became of them: {@code done}, {@code retried}, {@code postponed},
 * {@code dead_lettered}, {@code expired}, {@code cancelled}, {@code fell_back},
 * {@code invalid};</li>
 * <li>{@code herald.delivery.ledger{channel, answer}}: ledger answers other than a fresh
 * claim ({@code done}, {@code busy}, {@code ambiguous}): how often redelivery was
 * absorbed.</li>
 * <li>{@code herald.delivery.suppressions{channel, reason}}: {@code suppress-address}
 * commands sent to routing for an address refused for good ({@code bad_address},
 * {@code invalid_number}, {@code unsubscribed}, ...; docs/adr/033).</li>
 * </ul>
 * Requests feed the {@code queued} stage of the {@link Funnel} (by what became of them),
 * provider answers its {@code sent} stage (by outcome: {@code sent}, {@code rejected},
 * {@code failed}). Circuit breakers and rate limiters report through resilience4j's own
 * meters ({@code resilience4j.circuitbreaker.state{name}}, ...), Kafka consumers their
 * lag.
 */
@Component
class DispatchMetrics {

	private static final String UNKNOWN = "unknown";

	private final MeterRegistry meters;

	private final Funnel funnel;

	DispatchMetrics(MeterRegistry meters, Funnel funnel) {
		this.meters = meters;
		this.funnel = funnel;
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

	/** Counts a provider's answer to one send in the funnel. */
	void sent(DeliverNotification notification, Channel channel, DeliveryOutcome outcome) {
		String reason = switch (outcome) {
			case DeliveryOutcome.Sent sent -> Funnel.NO_REASON;
			case DeliveryOutcome.Rejected rejected -> rejected.reason();
			case DeliveryOutcome.Failed failed -> failed.reason();
		};
		this.funnel.count(Stage.SENT, notification.tenant(), channel.wireName(), notification.priority().wireName(),
				outcome.outcome(), reason);
	}

	/**
	 * Records a provider's acceptance: from routing and from the event's acceptance
	 * ({@code origin}).
	 */
	void latency(DeliverNotification notification, Channel channel, String provider, Instant origin, Instant at) {
		this.funnel.latency("provider", channel.wireName(), notification.priority().wireName(), origin);
		Duration latency = Duration.between(notification.createdAt(), at);
		Timer.builder("herald.delivery.latency")
			.tag("channel", channel.wireName())
			.tag("provider", provider)
			.publishPercentileHistogram()
			.register(this.meters)
			.record(latency.isNegative() ? Duration.ZERO : latency);
	}

	/**
	 * Counts a request by what became of it; {@code notification} is {@code null} for one
	 * that was not.
	 */
	void request(Channel channel, Lane lane, @Nullable DeliverNotification notification, String outcome) {
		this.funnel.count(Stage.QUEUED, (notification != null) ? notification.tenant() : UNKNOWN, channel.wireName(),
				(notification != null) ? notification.priority().wireName() : UNKNOWN, outcome, Funnel.NO_REASON);
		Counter.builder("herald.delivery.requests")
			.tag("channel", channel.wireName())
			.tag("lane", lane.topicSuffix())
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	/** Counts a {@code suppress-address} command sent to routing. */
	void suppression(UserCommand.SuppressAddress command) {
		Counter.builder("herald.delivery.suppressions")
			.description("Addresses refused for good that routing was told to suppress")
			.tag("channel", command.channel().wireName())
			.tag("reason", command.reason().wireName())
			.register(this.meters)
			.increment();
	}

	void ledger(Channel channel, String answer) {
		this.meters.counter("herald.delivery.ledger", "channel", channel.wireName(), "answer", answer).increment();
	}

}
