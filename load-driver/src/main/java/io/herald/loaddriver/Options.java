package io.herald.loaddriver;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
 * @param users how many distinct recipients the events name, round robin; in the
 * WebSocket scenarios, how many users connect
 * @param connections persistent HTTP connections, each carrying one request at a time
 * @param maxInFlight requests queued or in flight at most; beyond it the driver counts a
 * request as not sent rather than queue it, so a stalled server shows as lost throughput
 * @param json where to write the results as JSON, or {@code null}
 * @param live the settings of the scenarios that hold WebSocket connections to the
 * gateway
 * @param sandboxUrl the local provider sandboxes' page, where the delivery scenario reads
 * receipts
 */
record Options(String scenario, URI url, URI routingUrl, String apiKey, int rate, Duration duration, Duration warmup,
		int batchSize, int users, int connections, int maxInFlight, @Nullable Path json, Live live, URI sandboxUrl) {

	static final List<String> SCENARIOS = List.of("ingest", "ingest-batch", "targeted", "fanout", "idle", "connect",
			"reconnect", "mixed", "delivery", "fanout-routing");

	/**
	 * A run id names the run's users ({@code bench-<run>-<i>}) and topic, so it must fit
	 * both.
	 */
	private static final Pattern RUN = Pattern.compile("[a-z0-9]{1,20}");

	static final String USAGE = """
			usage: platform bench <scenario> [options]
			scenarios:
			  ingest        single POST /v1/events at --rate events/s
			  ingest-batch  POST /v1/events:batch of --batch-size events at --rate events/s
			  targeted      connect --users WebSocket users, then send each event to one of them
			                at --rate events/s and time POST to notification frame
			  fanout        connect --users WebSocket users, subscribe them to a topic, publish
			                --rounds events to --audience (the topic, or all users of the tenant),
			                one after the other, and time POST to first and last frame
			                (--duration is the time limit per event)
			  idle          hold --users WebSocket connections for --duration, pinging, and
			                report the gateway's memory per connection
			  connect       open --users WebSocket connections at --rate handshakes/s, open loop,
			                and time each one's due time to its hello (after 1,000 users of a
			                run of their own, opened and closed to warm the driver up)
			  reconnect     targeted, and halfway through drop every connection without a close
			                handshake; each user reconnects and resumes from its last seq
			  mixed         targeted with critical events at --rate, while a flood of --bulk-rate
			                high- and low-priority notifications/s goes to the same users in
			                events of --batch-size recipients; latency reported per lane
			  delivery      give --users users an email address, a phone and an iOS and an Android
			                device, send critical events to them at --rate events/s, and time POST
			                to receipt at the local provider sandboxes (--sandbox-url) per channel
			  fanout-routing  subscribe --users users to a topic, publish one event to it, and time
			                until every in-app delivery is routed, then appended to its inbox, by
			                the event's status, without connections (--duration is the time limit)
			options (defaults in brackets):
			  --url URL             ingestion base URL [http://127.0.0.1:8080]
			  --routing-url URL     routing base URL, for the fan-outs [http://127.0.0.1:8081]
			  --api-key KEY         API key [demo-key]
			  --rate N              events per second, open loop [1000]
			  --duration D          measured time, e.g. 30s or 2m [30s]
			  --warmup D            unmeasured time before it [5s]
			  --batch-size N        events per batch request; mixed: recipients per bulk event [100]
			  --users N             distinct recipients; connected users [1000]
			  --connections N       persistent HTTP connections; subscriptions at once [64]
			  --max-in-flight N     requests queued or in flight at most [20000]
			  --json FILE           also write the results as JSON
			  --sandbox-url URL     delivery: the provider sandboxes' page [http://127.0.0.1:8090]
			WebSocket scenarios (targeted, fanout, idle, connect, reconnect, mixed):
			  --gateway-url URL     gateway base URL [http://127.0.0.1:8082]
			  --gateway-management-url URL
			                        idle: the gateway's management port, for /actuator/prometheus
			                        [http://127.0.0.1:9082]
			  --tenant T            tenant of the user tokens [demo]
			  --jwt-secret S        HS256 secret of the tenant's user tokens [the local stack's]
			  --run ID              names the users bench-ID-<i> [a new id per run]
			  --drain D             how long to wait for frames after the last POST [10s]
			  --settle D            idle: wait after connecting before sampling memory [5s]
			  --samples N           idle: memory samples, one a second; the minimum counts [5]
			  --gateway-pid PID     idle: also read the gateway's resident memory from /proc
			  --rounds N            fanout: events published, one after the other [1]
			  --audience A          fanout: topic or all [topic]
			  --bulk-rate N         mixed: bulk notifications per second [10 x --rate]
			  --source-addresses N  open the connections from 127.0.0.1 .. 127.0.0.N, round robin,
			                        so more than 64k reach one gateway address (Linux) [1]
			""";

	static Options parse(String... args) {
		if (args.length == 0 || !SCENARIOS.contains(args[0])) {
			throw new IllegalArgumentException(
					((args.length == 0) ? "no scenario given" : "unknown scenario '" + args[0] + "'"));
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
				take(values, "api-key", DemoAccount.API_KEY), positive(take(values, "rate", "1000"), "rate"),
				duration(take(values, "duration", "30s")), duration(take(values, "warmup", "5s")),
				positive(take(values, "batch-size", "100"), "batch-size"),
				positive(take(values, "users", "1000"), "users"),
				positive(take(values, "connections", "64"), "connections"),
				positive(take(values, "max-in-flight", "20000"), "max-in-flight"),
				values.containsKey("json") ? Path.of(take(values, "json", "")) : null, Live.parse(values),
				URI.create(take(values, "sandbox-url", "http://127.0.0.1:8090")));
		if (!values.isEmpty()) {
			throw new IllegalArgumentException("unknown option --" + values.keySet().iterator().next());
		}
		return options;
	}

	/**
	 * Settings of the scenarios that hold WebSocket connections.
	 *
	 * @param gatewayUrl the gateway's base URL ({@code http} becomes {@code ws})
	 * @param tenant the tenant the user tokens name ({@code tid}) and the API key belongs
	 * to
	 * @param jwtSecret the tenant's HS256 secret for user tokens
	 * @param run names this run's users {@code bench-<run>-<i>}, so that every run starts
	 * with empty inboxes
	 * @param drain how long frames may take to arrive after the last POST was due; a
	 * notification not received by then counts as lost
	 * @param settle how long {@code idle} waits after the last {@code hello} before it
	 * samples memory
	 * @param samples how many memory samples {@code idle} takes, one a second, before and
	 * after connecting; the smallest counts, as the one least inflated by garbage not yet
	 * collected
	 * @param gatewayPid the gateway's process id, to read its resident memory from
	 * {@code /proc}, or {@code null}
	 * @param rounds how many events {@code fanout} publishes, each once the previous one
	 * arrived everywhere or timed out
	 * @param audience whom {@code fanout} publishes to: {@code topic} (the run's topic)
	 * or {@code all} (every user of the tenant)
	 * @param bulkRate the bulk notifications per second of {@code mixed}, {@code 0} for
	 * ten times the rate
	 * @param sourceAddresses how many loopback source addresses the connections are
	 * spread over
	 * @param gatewayManagementUrl the base URL of the gateway's management port, where
	 * {@code idle} reads {@code /actuator/prometheus}
	 */
	record Live(URI gatewayUrl, String tenant, String jwtSecret, String run, Duration drain, Duration settle,
			int samples, @Nullable Long gatewayPid, int rounds, String audience, int bulkRate, int sourceAddresses,
			URI gatewayManagementUrl) {

		static Live parse(Map<String, String> values) {
			String run = take(values, "run", Long.toString(System.currentTimeMillis(), 36));
			if (!RUN.matcher(run).matches()) {
				throw new IllegalArgumentException(
						"--run must be 1 to 20 lower-case letters or digits, got '" + run + "'");
			}
			String pid = take(values, "gateway-pid", "");
			String audience = take(values, "audience", "topic");
			if (!audience.equals("topic") && !audience.equals("all")) {
				throw new IllegalArgumentException("--audience must be topic or all, got '" + audience + "'");
			}
			String bulkRate = take(values, "bulk-rate", "");
			return new Live(URI.create(take(values, "gateway-url", "http://127.0.0.1:8082")),
					take(values, "tenant", DemoAccount.TENANT), take(values, "jwt-secret", DemoAccount.JWT_SECRET), run,
					duration(take(values, "drain", "10s")), duration(take(values, "settle", "5s")),
					positive(take(values, "samples", "5"), "samples"),
					pid.isEmpty() ? null : (long) positive(pid, "gateway-pid"),
					positive(take(values, "rounds", "1"), "rounds"), audience,
					bulkRate.isEmpty() ? 0 : positive(bulkRate, "bulk-rate"),
					positive(take(values, "source-addresses", "1"), "source-addresses"),
					URI.create(take(values, "gateway-management-url", "http://127.0.0.1:9082")));
		}

		/**
		 * The WebSocket endpoint, {@code /v1/ws}, with the gateway URL's scheme turned
		 * into ws or wss.
		 */
		URI webSocketUri() {
			String scheme = "https".equals(this.gatewayUrl.getScheme()) ? "wss" : "ws";
			return URI.create(scheme + "://" + this.gatewayUrl.getRawAuthority() + "/v1/ws");
		}

		/**
		 * The same options under a run of its own, whose users warm the driver's client
		 * up before a measured run.
		 */
		Live warmUp() {
			String warmUp = "w" + ((this.run.length() < 20) ? this.run : this.run.substring(1));
			return new Live(this.gatewayUrl, this.tenant, this.jwtSecret, warmUp, this.drain, this.settle, this.samples,
					this.gatewayPid, this.rounds, this.audience, this.bulkRate, this.sourceAddresses,
					this.gatewayManagementUrl);
		}

		/** The user id of the run's {@code index}th user. */
		String user(int index) {
			return "bench-" + this.run + "-" + index;
		}

	}

	private static String take(Map<String, String> values, String name, String fallback) {
		String value = values.remove(name);
		return (value != null) ? value : fallback;
	}

	private static int positive(String value, String name) {
		return Arguments.positive(value, name);
	}

	static Duration duration(String value) {
		return Arguments.duration(value);
	}

}
