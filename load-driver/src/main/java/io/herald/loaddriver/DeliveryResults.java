package io.herald.loaddriver;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the delivery scenario measured, per channel: messages received, lost and repeated,
 * the sends per second the channel sustained (received messages over the time from the first
 * POST to the channel's last receipt) and the latency from each POST to the provider's receipt.
 *
 * @param options the run's options
 * @param accepted events the platform accepted ({@code 202})
 * @param notSent events the driver could not send because too many were in flight
 * @param firstPost when the first POST was due
 * @param postedAt when each event's POST was due, by event number
 * @param received receipt times by channel ({@code email}, {@code sms}, {@code apns},
 * {@code fcm}) and event number
 */
record DeliveryResults(Options options, long accepted, long notSent, Instant firstPost, Map<Long, Instant> postedAt,
		Map<String, Map<Long, List<Instant>>> received) implements Report {

	@Override
	public String table() {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"scenario delivery: %d critical events/s to %d users (email, SMS, iOS and Android push each) for %ds%n",
				this.options.rate(), this.options.users(), this.options.duration().toSeconds()));
		out.append(String.format(Locale.ROOT, "  accepted %d, not sent %d%n", this.accepted, this.notSent));
		out.append(String.format(Locale.ROOT, "  %-6s %9s %6s %9s %10s %9s %9s %9s %9s%n", "channel", "received", "lost",
				"repeated", "sends/s", "p50 ms", "p90 ms", "p99 ms", "max ms"));
		this.received.forEach((channel, byEvent) -> {
			Channel measured = measure(byEvent);
			out.append(String.format(Locale.ROOT, "  %-7s %8d %6d %9d %10.0f %9d %9d %9d %9d%n", channel, byEvent.size(),
					Math.max(0, this.accepted - byEvent.size()), measured.repeated(), measured.sendsPerSecond(),
					measured.latency().getValueAtPercentile(50), measured.latency().getValueAtPercentile(90),
					measured.latency().getValueAtPercentile(99), measured.latency().getMaxValue()));
		});
		return out.toString();
	}

	@Override
	public String json() {
		StringBuilder channels = new StringBuilder();
		this.received.forEach((channel, byEvent) -> {
			Channel measured = measure(byEvent);
			if (!channels.isEmpty()) {
				channels.append(", ");
			}
			channels.append(String.format(Locale.ROOT,
					"\"%s\": {\"received\": %d, \"lost\": %d, \"repeated\": %d, \"sendsPerSecond\": %.1f, "
							+ "\"latencyMs\": {\"p50\": %d, \"p90\": %d, \"p99\": %d, \"max\": %d}}",
					channel, byEvent.size(), Math.max(0, this.accepted - byEvent.size()), measured.repeated(),
					measured.sendsPerSecond(), measured.latency().getValueAtPercentile(50),
					measured.latency().getValueAtPercentile(90), measured.latency().getValueAtPercentile(99),
					measured.latency().getMaxValue()));
		});
		return String.format(Locale.ROOT, "{\"scenario\": \"delivery\", \"rate\": %d, \"users\": %d, \"seconds\": %d, "
				+ "\"accepted\": %d, \"notSent\": %d, \"channels\": {%s}}%n", this.options.rate(), this.options.users(),
				this.options.duration().toSeconds(), this.accepted, this.notSent, channels);
	}

	@Override
	public boolean complete() {
		return this.received.values().stream().allMatch((byEvent) -> byEvent.size() >= this.accepted);
	}

	private Channel measure(Map<Long, List<Instant>> byEvent) {
		Histogram latency = DeliveryScenario.histogram();
		long repeated = 0;
		Instant last = this.firstPost;
		for (Map.Entry<Long, List<Instant>> event : byEvent.entrySet()) {
			Instant posted = this.postedAt.get(event.getKey());
			Instant first = event.getValue().stream().min(Instant::compareTo).orElseThrow();
			repeated += event.getValue().size() - 1;
			if (first.isAfter(last)) {
				last = first;
			}
			if (posted != null) {
				latency.recordValue(Math.max(0, Duration.between(posted, first).toMillis()));
			}
		}
		double seconds = Math.max(0.001, Duration.between(this.firstPost, last).toMillis() / 1000.0);
		return new Channel(latency, repeated, byEvent.size() / seconds);
	}

	private record Channel(Histogram latency, long repeated, double sendsPerSecond) {
	}

}
