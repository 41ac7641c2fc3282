package io.herald.loaddriver;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the delivery scenario measured, per channel: messages received, lost, repeated on
 * the wire and duplicated as the receiver sees them, the sends per second the channel
 * sustained (received messages over the time from the first POST to the channel's last
 * receipt) and the latency from each POST to the provider's receipt.
 *
 * @param options the run's options
 * @param acceptedEvents the numbers of the events the platform accepted ({@code 202})
 * @param notSent events the driver could not send because too many were in flight
 * @param firstPost when the first POST was due
 * @param postedAt when each event's POST was due, by event number
 * @param received receipts by channel ({@code email}, {@code sms}, {@code apns},
 * {@code fcm}) and event number
 */
record DeliveryResults(Options options, Set<Long> acceptedEvents, long notSent, Instant firstPost,
		Map<Long, Instant> postedAt,
		Map<String, Map<Long, List<DeliveryScenario.Receipt>>> received) implements Report {

	long accepted() {
		return this.acceptedEvents.size();
	}

	/** Accepted events that did not arrive on a channel. */
	long lost(Map<Long, List<DeliveryScenario.Receipt>> byEvent) {
		return this.acceptedEvents.stream().filter((n) -> !byEvent.containsKey(n)).count();
	}

	@Override
	public Accounting accounting() {
		long delivered = 0;
		long lost = 0;
		long duplicated = 0;
		for (Map<Long, List<DeliveryScenario.Receipt>> byEvent : this.received.values()) {
			delivered += byEvent.size();
			lost += lost(byEvent);
			duplicated += measure(byEvent).duplicated();
		}
		return new Accounting(accepted() * this.received.size(), delivered, lost, duplicated, 0, 0);
	}

	@Override
	public long duplicatedOn(String channel) {
		return measure(this.received.getOrDefault(channel, Map.of())).duplicated();
	}

	@Override
	public String table() {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"scenario delivery: %d critical events/s to %d users (email, SMS, iOS and Android push each) for %ds%n",
				this.options.rate(), this.options.users(), this.options.duration().toSeconds()));
		out.append(String.format(Locale.ROOT, "  accepted %d, not sent %d%n", accepted(), this.notSent));
		out.append(String.format(Locale.ROOT, "  %-6s %9s %6s %9s %6s %10s %9s %9s %9s %9s%n", "channel", "received",
				"lost", "repeated", "dup", "sends/s", "p50 ms", "p90 ms", "p99 ms", "max ms"));
		this.received.forEach((channel, byEvent) -> {
			Channel measured = measure(byEvent);
			out.append(String.format(Locale.ROOT, "  %-7s %8d %6d %9d %6d %10.0f %9d %9d %9d %9d%n", channel,
					byEvent.size(), lost(byEvent), measured.repeated(), measured.duplicated(),
					measured.sendsPerSecond(), measured.latency().getValueAtPercentile(50),
					measured.latency().getValueAtPercentile(90), measured.latency().getValueAtPercentile(99),
					measured.latency().getMaxValue()));
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
					"\"%s\": {\"received\": %d, \"lost\": %d, \"repeated\": %d, \"duplicated\": %d, "
							+ "\"sendsPerSecond\": %.1f, "
							+ "\"latencyMs\": {\"p50\": %d, \"p90\": %d, \"p99\": %d, \"max\": %d}}",
					channel, byEvent.size(), lost(byEvent), measured.repeated(), measured.duplicated(),
					measured.sendsPerSecond(), measured.latency().getValueAtPercentile(50),
					measured.latency().getValueAtPercentile(90), measured.latency().getValueAtPercentile(99),
					measured.latency().getMaxValue()));
		});
		return String.format(Locale.ROOT,
				"{\"scenario\": \"delivery\", \"rate\": %d, \"users\": %d, \"seconds\": %d, "
						+ "\"accepted\": %d, \"notSent\": %d, \"channels\": {%s}}%n",
				this.options.rate(), this.options.users(), this.options.duration().toSeconds(), accepted(),
				this.notSent, channels);
	}

	@Override
	public boolean complete() {
		return this.received.values().stream().allMatch((byEvent) -> lost(byEvent) == 0);
	}

	private Channel measure(Map<Long, List<DeliveryScenario.Receipt>> byEvent) {
		Histogram latency = DeliveryScenario.histogram();
		long repeated = 0;
		long duplicated = 0;
		Instant last = this.firstPost;
		for (Map.Entry<Long, List<DeliveryScenario.Receipt>> event : byEvent.entrySet()) {
			Instant posted = this.postedAt.get(event.getKey());
			Instant first = event.getValue()
				.stream()
				.map(DeliveryScenario.Receipt::at)
				.min(Instant::compareTo)
				.orElseThrow();
			repeated += event.getValue().size() - 1;
			duplicated += event.getValue().stream().map(DeliveryScenario.Receipt::identity).distinct().count() - 1;
			if (first.isAfter(last)) {
				last = first;
			}
			if (posted != null) {
				latency.recordValue(Math.max(0, Duration.between(posted, first).toMillis()));
			}
		}
		double seconds = Math.max(0.001, Duration.between(this.firstPost, last).toMillis() / 1000.0);
		return new Channel(latency, repeated, duplicated, byEvent.size() / seconds);
	}

	/**
	 * @param repeated messages that reached the provider a second time (after a crash, a
	 * send the provider took but the ledger never heard of goes again, with the same ids)
	 * @param duplicated messages the receiver sees twice: repeats that do not collapse
	 */
	private record Channel(Histogram latency, long repeated, long duplicated, double sendsPerSecond) {
	}

}
