package io.herald.loaddriver;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one run measured: latency from the moment a request was due (not when it was sent,
 * so a stalled server cannot hide its stall) to the response, per HTTP status.
 *
 * @param options the run's options
 * @param measured how long the measurement ran
 * @param latency request latencies in microseconds
 * @param statuses responses by HTTP status ({@code -1} for transport errors)
 * @param events events by outcome ({@code accepted}, {@code duplicate},
 * {@code rejected}), read from each response, so a batch answered 207 with rejected
 * events counts them as rejected
 * @param notSent requests the driver did not send because too many were in flight
 */
record Results(Options options, Duration measured, Histogram latency, Map<Integer, Long> statuses,
		Map<String, Long> events, long notSent) implements Report {

	long eventsAccepted() {
		return this.events.getOrDefault("accepted", 0L);
	}

	@Override
	public Work work() {
		return new Work(eventsAccepted(), "accepted event");
	}

	double eventsPerSecond() {
		return eventsAccepted() / (this.measured.toMillis() / 1000.0);
	}

	double millis(double percentile) {
		return this.latency.getValueAtPercentile(percentile) / 1000.0;
	}

	@Override
	public String table() {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "scenario %s: offered %d events/s for %ds%s%n", this.options.scenario(),
				this.options.rate(), this.options.duration().toSeconds(),
				"ingest-batch".equals(this.options.scenario()) ? " in batches of " + this.options.batchSize() : ""));
		out.append(String.format(Locale.ROOT, "  accepted events/s  %12.0f%n", eventsPerSecond()));
		out.append(String.format(Locale.ROOT, "  events             %12s%n", this.events));
		out.append(String.format(Locale.ROOT, "  measured seconds   %12.1f%n", this.measured.toMillis() / 1000.0));
		out.append(String.format(Locale.ROOT, "  requests           %12d%n", this.latency.getTotalCount()));
		out.append(String.format(Locale.ROOT, "  responses          %12s%n", statusText()));
		out.append(String.format(Locale.ROOT, "  not sent (backlog) %12d%n", this.notSent));
		out.append(String.format(Locale.ROOT, "  latency ms  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
				millis(50), millis(90), millis(99), millis(99.9), this.latency.getMaxValue() / 1000.0));
		return out.toString();
	}

	@Override
	public String json() {
		return String.format(Locale.ROOT, """
				{"scenario": "%s", "offeredEventsPerSecond": %d, "batchSize": %d, "measuredSeconds": %.1f,
				 "acceptedEventsPerSecond": %.1f, "requests": %d, "notSent": %d, "statuses": {%s}, "events": {%s},
				 "latencyMs": {"p50": %.3f, "p90": %.3f, "p99": %.3f, "p999": %.3f, "max": %.3f}}
				""", this.options.scenario(), this.options.rate(), this.options.batchSize(),
				this.measured.toMillis() / 1000.0, eventsPerSecond(), this.latency.getTotalCount(), this.notSent,
				jsonMembers(this.statuses), jsonMembers(this.events), millis(50), millis(90), millis(99), millis(99.9),
				this.latency.getMaxValue() / 1000.0);
	}

	private static String jsonMembers(Map<?, Long> counts) {
		return counts.entrySet()
			.stream()
			.map((entry) -> "\"" + entry.getKey() + "\": " + entry.getValue())
			.collect(Collectors.joining(", "));
	}

	private String statusText() {
		return new TreeMap<>(this.statuses).entrySet()
			.stream()
			.map((entry) -> ((entry.getKey() < 0) ? "error" : entry.getKey()) + "=" + entry.getValue())
			.collect(Collectors.joining(" "));
	}

}
