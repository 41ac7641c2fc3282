package io.herald.loaddriver;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one run measured: latency from the moment a request was due (not when it was sent, so
 * a stalled server cannot hide its stall) to the response, per HTTP status.
 *
 * @param options the run's options
 * @param measured how long the measurement ran
 * @param latency request latencies in microseconds
 * @param statuses responses by HTTP status ({@code -1} for transport errors)
 * @param notSent requests the driver did not send because too many were in flight
 */
record Results(Options options, Duration measured, Histogram latency, Map<Integer, Long> statuses, long notSent) {

	long eventsAccepted() {
		long ok = this.statuses.getOrDefault(202, 0L) + this.statuses.getOrDefault(207, 0L);
		return "ingest-batch".equals(this.options.scenario()) ? ok * this.options.batchSize() : ok;
	}

	double eventsPerSecond() {
		return eventsAccepted() / (this.measured.toMillis() / 1000.0);
	}

	double millis(double percentile) {
		return this.latency.getValueAtPercentile(percentile) / 1000.0;
	}

	String table() {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "scenario %s: offered %d events/s for %ds%s%n", this.options.scenario(),
				this.options.rate(), this.measured.toSeconds(),
				"ingest-batch".equals(this.options.scenario()) ? " in batches of " + this.options.batchSize() : ""));
		out.append(String.format(Locale.ROOT, "  accepted events/s  %12.0f%n", eventsPerSecond()));
		out.append(String.format(Locale.ROOT, "  requests           %12d%n", this.latency.getTotalCount()));
		out.append(String.format(Locale.ROOT, "  responses          %12s%n", statusText()));
		out.append(String.format(Locale.ROOT, "  not sent (backlog) %12d%n", this.notSent));
		out.append(String.format(Locale.ROOT, "  latency ms  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
				millis(50), millis(90), millis(99), millis(99.9), this.latency.getMaxValue() / 1000.0));
		return out.toString();
	}

	String json() {
		return String.format(Locale.ROOT, """
				{"scenario": "%s", "offeredEventsPerSecond": %d, "batchSize": %d, "measuredSeconds": %d,
				 "acceptedEventsPerSecond": %.1f, "requests": %d, "notSent": %d, "statuses": {%s},
				 "latencyMs": {"p50": %.3f, "p90": %.3f, "p99": %.3f, "p999": %.3f, "max": %.3f}}
				""", this.options.scenario(), this.options.rate(), this.options.batchSize(), this.measured.toSeconds(),
				eventsPerSecond(), this.latency.getTotalCount(), this.notSent,
				this.statuses.entrySet()
					.stream()
					.map((entry) -> "\"" + entry.getKey() + "\": " + entry.getValue())
					.collect(Collectors.joining(", ")),
				millis(50), millis(90), millis(99), millis(99.9), this.latency.getMaxValue() / 1000.0);
	}

	private String statusText() {
		return new TreeMap<>(this.statuses).entrySet()
			.stream()
			.map((entry) -> ((entry.getKey() < 0) ? "error" : entry.getKey()) + "=" + entry.getValue())
			.collect(Collectors.joining(" "));
	}

}
