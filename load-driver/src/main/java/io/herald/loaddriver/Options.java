package io.herald.loaddriver;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's command line: {@code <scenario> [--name value]...}.
 *
 * @param scenario what to run
 * @param url the ingestion service's base URL
 * @param routingUrl the routing service's base URL (user API)
 * @param apiKey the API key to publish with
 * @param rate events per second, offered at a fixed pace whatever the responses do
 * @param duration how long to measure
 * @param warmup how long to drive load before measuring
 * @param batchSize events per request for {@code ingest-batch}
 * @param users how many distinct recipients the events name, round robin
 * @param connections persistent HTTP connections, each carrying one request at a time
 * @param maxInFlight requests queued or in flight at most; beyond it the driver counts a request
 * as not sent rather than queue it, so a stalled server shows as lost throughput
 * @param json where to write the results as JSON, or {@code null}
 */
record Options(String scenario, URI url, URI routingUrl, String apiKey, int rate, Duration duration, Duration warmup, int batchSize,
		int users, int connections, int maxInFlight, @Nullable Path json) {

	static final List<String> SCENARIOS = List.of("ingest", "ingest-batch", "fanout");

	static final String USAGE = """
			usage: platform bench <scenario> [options]
			scenarios:
			  ingest        single POST /v1/events at --rate events/s
			  ingest-batch  POST /v1/events:batch of --batch-size events at --rate events/s
			  fanout        subscribe --users users to a topic, publish one event to it, and time
			                until every in-app delivery is queued (--duration is the time limit)
			options (defaults in brackets):
			  --url URL             ingestion base URL [http://127.0.0.1:8080]
			  --routing-url URL     routing base URL, for fanout [http://127.0.0.1:8081]
			  --api-key KEY         API key [demo-key]
			  --rate N              events per second, open loop [1000]
			  --duration D          measured time, e.g. 30s or 2m [30s]
			  --warmup D            unmeasured time before it [5s]
			  --batch-size N        events per batch request [100]
			  --users N             distinct recipients [1000]
			  --connections N       persistent HTTP connections [64]
			  --max-in-flight N     requests queued or in flight at most [20000]
			  --json FILE           also write the results as JSON
			""";

	static Options parse(String... args) {
		if (args.length == 0 || !SCENARIOS.contains(args[0])) {
			throw new IllegalArgumentException((args.length == 0) ? "no scenario given" : "unknown scenario '" + args[0] + "'");
		}
		Map<String, String> values = new HashMap<>();
		for (int i = 1; i < args.length; i += 2) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) {
				throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'");
			}
			values.put(args[i].substring(2), args[i + 1]);
		}
		Options options = new Options(args[0], URI.create(take(values, "url", "http://127.0.0.1:8080")),
				URI.create(take(values, "routing-url", "http://127.0.0.1:8081")),
				take(values, "api-key", "demo-key"), positive(take(values, "rate", "1000"), "rate"),
				duration(take(values, "duration", "30s")), duration(take(values, "warmup", "5s")),
				positive(take(values, "batch-size", "100"), "batch-size"), positive(take(values, "users", "1000"), "users"),
				positive(take(values, "connections", "64"), "connections"),
				positive(take(values, "max-in-flight", "20000"), "max-in-flight"),
				values.containsKey("json") ? Path.of(take(values, "json", "")) : null);
		if (!values.isEmpty()) {
			throw new IllegalArgumentException("unknown option --" + values.keySet().iterator().next());
		}
		return options;
	}

	private static String take(Map<String, String> values, String name, String fallback) {
		String value = values.remove(name);
		return (value != null) ? value : fallback;
	}

	private static int positive(String value, String name) {
		try {
			int number = Integer.parseInt(value);
			if (number > 0) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("--" + name + " must be a positive whole number, got '" + value + "'");
	}

	static Duration duration(String value) {
		String number = value.replaceAll("[a-z]+$", "");
		String unit = value.substring(number.length());
		try {
			long amount = Long.parseLong(number);
			return switch (unit) {
				case "ms" -> Duration.ofMillis(amount);
				case "s", "" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				default -> throw new IllegalArgumentException("unknown unit");
			};
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("a duration looks like 500ms, 30s or 2m, got '" + value + "'");
		}
	}

}
