package io.herald.gateway.inbox;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.DeliverNotification;
import io.herald.events.Lane;
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
 * The inbox writer's meters: {@code herald.gateway.inbox.appends{lane, outcome}} counts
 * records by outcome, {@code herald.gateway.inbox.append.delay{lane}} (a histogram)
 * measures the time from routing's {@code createdAt} to the append. The same outcomes
 * feed the {@code delivered} stage of the {@link Funnel}
 * ({@code herald.funnel.latency{to="inbox"}} from the event's acceptance), and acks its
 * {@code acknowledged} stage ({@code herald.funnel.latency{to="ack"}} from routing).
 */
@Component
class InboxMetrics {

	private static final String UNKNOWN = "unknown";

	private final MeterRegistry meters;

	private final Funnel funnel;

	InboxMetrics(MeterRegistry meters, Funnel funnel) {
		this.meters = meters;
		this.funnel = funnel;
	}

	/**
	 * Counts one delivery record; {@code notification} is {@code null} for one that was
	 * not.
	 */
	void count(Lane lane, @Nullable DeliverNotification notification, Outcome outcome) {
		count(lane, notification, outcome, 1);
	}

	/**
	 * Counts {@code count} notifications of one tenant and priority with the same outcome
	 * (the users of a fan-out's batch record), looking the counters up once.
	 */
	void count(Lane lane, @Nullable DeliverNotification notification, Outcome outcome, int count) {
		this.funnel.count(Stage.DELIVERED, (notification != null) ? notification.tenant() : UNKNOWN,
				Channel.INAPP.wireName(), (notification != null) ? notification.priority().wireName() : UNKNOWN,
				outcome.tag, Funnel.NO_REASON, count);
		Counter.builder("herald.gateway.inbox.appends")
			.tag("lane", lane.topicSuffix())
			.tag("outcome", outcome.tag)
			.register(this.meters)
			.increment(count);
	}

	/**
	 * Records the latencies of {@code count} appends of one delivery record (a batch
	 * record's users share them): from the event's acceptance ({@code origin}) and from
	 * routing.
	 */
	void appended(Lane lane, DeliverNotification notification, Instant origin, Instant appendedAt, int count) {
		this.funnel.latency("inbox", Channel.INAPP.wireName(), notification.priority().wireName(), origin, count);
		Duration delay = Duration.between(notification.createdAt(), appendedAt);
		Duration recorded = delay.isNegative() ? Duration.ZERO : delay;
		Timer timer = Timer.builder("herald.gateway.inbox.append.delay")
			.tag("lane", lane.topicSuffix())
			.publishPercentileHistogram()
			.register(this.meters);
		for (int i = 0; i < count; i++) {
			timer.record(recorded);
		}
	}

	/**
	 * Counts the users of retraction records
	 * ({@code herald.gateway.inbox.retractions{lane, outcome}}) by outcome:
	 * {@code retracted}, {@code again} (retracted before), {@code absent} (the inbox does
	 * not hold the notification).
	 */
	void retractions(Lane lane, String outcome, int count) {
		Counter.builder("herald.gateway.inbox.retractions")
			.tag("lane", lane.topicSuffix())
			.tag("outcome", outcome)
			.register(this.meters)
			.increment(count);
	}

	/**
	 * Counts one append pipeline that waited for Redis replicas
	 * ({@code herald.gateway.inbox.replication}), by outcome: {@code replicated}, or
	 * {@code timeout} when too few had it in time.
	 */
	void replication(String outcome) {
		Counter.builder("herald.gateway.inbox.replication").tag("outcome", outcome).register(this.meters).increment();
	}

	/**
	 * Counts a client's ack, or the user's read, of one notification that the inbox still
	 * keeps; the time from acceptance to the mark goes to the funnel's latency
	 * ({@code to} = {@code ack}, {@code read}).
	 */
	void marked(String tenant, InboxNotification notification, DeliveryState state) {
		if (state == DeliveryState.ACKNOWLEDGED) {
			this.funnel.count(Stage.ACKNOWLEDGED, tenant, Channel.INAPP.wireName(), notification.priority().wireName(),
					"acknowledged", Funnel.NO_REASON);
			this.funnel.latency("ack", Channel.INAPP.wireName(), notification.priority().wireName(),
					notification.createdAt());
		}
		else {
			this.funnel.latency("read", Channel.INAPP.wireName(), notification.priority().wireName(),
					notification.createdAt());
		}
	}

	/** What became of one delivery record. */
	enum Outcome {

		APPENDED("appended"), DUPLICATE("duplicate"), EXPIRED("expired"), DEAD_LETTERED("dead_lettered");

		private final String tag;

		Outcome(String tag) {
			this.tag = tag;
		}

		/** The value of the {@code outcome} tag. */
		String tag() {
			return this.tag;
		}

	}

}
