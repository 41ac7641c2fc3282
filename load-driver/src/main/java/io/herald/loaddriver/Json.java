package io.herald.loaddriver;

import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The bits of JSON and of latency text the reports share. */
final class Json {

	private Json() {
	}

	/** A JSON string: quotes, backslashes and control characters escaped. */
	static String string(String text) {
		StringBuilder json = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				default -> {
					if (c < 0x20) {
						json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append('"').toString();
	}

	/**
	 * A JSON object with one more member at its end: {@code name} with a value that is
	 * JSON already.
	 */
	static String withMember(String object, String name, String value) {
		int close = object.lastIndexOf('}');
		boolean empty = object.substring(0, close).strip().endsWith("{");
		return object.substring(0, close).stripTrailing() + (empty ? "" : ",\n ") + string(name) + ": " + value
				+ object.substring(close);
	}

	/** Counts as the members of a JSON object, {@code "a": 1, "b": 2}. */
	static String members(Map<?, Long> counts) {
		return counts.entrySet()
			.stream()
			.map((entry) -> string(String.valueOf(entry.getKey())) + ": " + entry.getValue())
			.collect(Collectors.joining(", "));
	}

	/** A histogram of microseconds as a JSON object of milliseconds. */
	static String latency(Histogram micros) {
		return String.format(Locale.ROOT,
				"{\"count\": %d, \"min\": %.3f, \"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"p999\": %.3f, \"max\": %.3f}",
				micros.getTotalCount(), millis(micros.getMinValue()), percentile(micros, 50), percentile(micros, 90),
				percentile(micros, 99), percentile(micros, 99.9), millis(micros.getMaxValue()));
	}

	/** A histogram of microseconds as one line of milliseconds. */
	static String latencyText(Histogram micros) {
		return String.format(Locale.ROOT, "p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f", percentile(micros, 50),
				percentile(micros, 90), percentile(micros, 99), percentile(micros, 99.9), millis(micros.getMaxValue()));
	}

	static double percentile(Histogram micros, double percentile) {
		return millis(micros.getValueAtPercentile(percentile));
	}

	static double millis(long micros) {
		return micros / 1000.0;
	}

}
