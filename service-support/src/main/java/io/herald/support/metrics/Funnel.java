package io.herald.support.metrics;

import io.herald.events.HeaderNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One notification funnel across the services, with the same names and tags everywhere,
 * so that one Grafana panel can follow an event from the API to the device:
 * <ul>
 * <li>{@code herald.funnel{stage, tenant, channel, priority, outcome, reason}}: what
 * became of the events and notifications at each {@link Stage}. Events are counted before
 * routing splits them per user and channel ({@code channel="all"}), notifications after.
 * {@code reason} is {@code none} unless the outcome is a drop, a deferral or a
 * failure.</li>
 * <li>{@code herald.funnel.latency{to, channel, priority}}: a histogram of the time from
 * the event's acceptance by the API to routing ({@code routed}), to the provider's
 * acceptance ({@code provider}), to the user's inbox ({@code inbox}); and from routing to
 * a client's ack ({@code ack}, whose origin is the notification's {@code createdAt}: the
 * inbox keeps no more).</li>
 * </ul>
 * The acceptance time travels from routing to the next stages in the
 * {@code herald_accepted_at} header ({@link HeaderNames#ACCEPTED_AT}).
 */
public class Funnel {

	/** The {@code channel} tag of a count that concerns a whole event. */
	public static final String ALL_CHANNELS = "all";

	/** The {@code reason} tag of an outcome that needs none. */
	public static final String NO_REASON = "none";

	private final MeterRegistry registry;

	public Funnel(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Counts events or notifications at one stage.
	 * @param stage the stage
	 * @param tenant the tenant, or {@code unknown} before it is known
	 * @param channel the channel's wire name, or {@link #ALL_CHANNELS}
	 * @param priority the priority's wire name, or {@code unknown}
	 * @param outcome what became of them at this stage
	 * @param reason why, or {@link #NO_REASON}
	 * @param count how many
	 */
	public void count(Stage stage, String tenant, String channel, String priority, String outcome, String reason,
			double count) {
		Counter.builder("herald.funnel")
			.description("Events and notifications at each stage of the funnel, by outcome")
			.tag("stage", stage.tag())
			.tag("tenant", tenant)
			.tag("channel", channel)
			.tag("priority", priority)
			.tag("outcome", outcome)
			.tag("reason", reason)
			.register(this.registry)
			.increment(count);
	}

	/** Counts one event or notification at one stage. */
	public void count(Stage stage, String tenant, String channel, String priority, String outcome, String reason) {
		count(stage, tenant, channel, priority, outcome, reason, 1);
	}

	/**
	 * Records the time from {@code origin} to now.
	 * @param to where the notification got: {@code routed}, {@code provider},
	 * {@code inbox} or {@code ack}
	 * @param channel the channel's wire name
	 * @param priority the priority's wire name
	 * @param origin when the event was accepted (or, for {@code ack}, routed)
	 */
	public void latency(String to, String channel, String priority, Instant origin) {
		latency(to, channel, priority, origin, 1);
	}

	/**
	 * Records the time from {@code origin} to now for {@code count} notifications that
	 * share it (the users of a fan-out's batch record), looking the timer up once.
	 */
	public void latency(String to, String channel, String priority, Instant origin, int count) {
		Duration latency = Duration.between(origin, Instant.now());
		Duration recorded = latency.isNegative() ? Duration.ZERO : latency;
		Timer timer = Timer.builder("herald.funnel.latency")
			.description("Time from an event's acceptance to each stage a notification reaches")
			.tag("to", to)
			.tag("channel", channel)
			.tag("priority", priority)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofMinutes(10))
			.register(this.registry);
		for (int i = 0; i < count; i++) {
			timer.record(recorded);
		}
	}

	/**
	 * Records the time from the acceptance carried in a record's
	 * {@code herald_accepted_at} header to now, or from {@code fallback} when the record
	 * has none (it was written by a node from before the header).
	 */
	public void latency(String to, String channel, String priority, Headers headers, Instant fallback) {
		latency(to, channel, priority, acceptedAt(headers, fallback));
	}

	/** The acceptance time a record carries, or {@code fallback}. */
	public static Instant acceptedAt(Headers headers, Instant fallback) {
		@Nullable String value = HeaderNames.lastValue(headers, HeaderNames.ACCEPTED_AT);
		if (value == null) {
			return fallback;
		}
		try {
			return Instant.ofEpochMilli(Long.parseLong(value));
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}

	/** Adds the {@code herald_accepted_at} header to a record that routing writes. */
	public static void addAcceptedAt(Headers headers, Instant acceptedAt) {
		headers.remove(HeaderNames.ACCEPTED_AT);
		headers.add(HeaderNames.ACCEPTED_AT, Long.toString(acceptedAt.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
	}

	/** The stages of the funnel, in the order a notification passes them. */
	public enum Stage {

		/** An event reached the API: every outcome, accepted or not. */
		EMITTED,

		/**
		 * An event was written to the event log (outcome {@code accepted}) or refused.
		 */
		ACCEPTED,

		/**
		 * Routing decided for one user and channel: queued, deferred, suppressed,
		 * expired.
		 */
		ROUTED,

		/**
		 * A delivery request left its lane: done, retried, dead-lettered, expired, fell
		 * back.
		 */
		QUEUED,

		/** A provider took a notification (sent) or refused it (rejected, failed). */
		SENT,

		/** A notification reached the user's inbox (in-app). */
		DELIVERED,

		/** A client confirmed that a notification reached a device. */
		ACKNOWLEDGED;

		/** The value of the {@code stage} tag. */
		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
