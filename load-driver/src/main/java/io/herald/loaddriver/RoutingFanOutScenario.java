package io.herald.loaddriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Fan-out through the public API only: subscribes {@code --users} users to a topic
 * (routing's user API), publishes one event to the topic, and measures the time from the
 * {@code 202} until the event's status counts every in-app delivery routed
 * ({@code queued}, or already {@code delivered} to the inbox), and then until it counts
 * every one appended to its user's inbox ({@code delivered}). The first covers the event
 * log, the scatter to every routing partition, the per-user decisions and the status
 * view; the second the in-app lane and the gateway's appends too. Deliveries per second
 * is the users divided by the time to all routed.
 */
final class RoutingFanOutScenario {

	/**
	 * The in-app counts of the status summary; routed deliveries are {@code queued}, then
	 * {@code delivered}.
	 */
	private static final Pattern INAPP = Pattern.compile("\"inapp\"\\s*:\\s*\\{([^}]*)\\}");

	private static final Pattern ROUTED = Pattern.compile("\"(queued|delivered|acknowledged|read)\"\\s*:\\s*(\\d+)");

	private static final Pattern APPENDED = Pattern.compile("\"(delivered|acknowledged|read)\"\\s*:\\s*(\\d+)");

	private static final Pattern EVENT_ID = Pattern.compile("\"eventId\"\\s*:\\s*\"([^\"]+)\"");

	private final Options options;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final CpuMeter cpu;

	RoutingFanOutScenario(Options options, CpuMeter cpu) {
		this.options = options;
		this.cpu = cpu;
	}

	Report run() throws InterruptedException {
		String topic = "bench-fanout-" + this.options.users();
		long subscribeStart = System.nanoTime();
		long failed = new TopicSubscriptions(this.options.routingUrl(), this.options.apiKey(),
				this.options.connections())
			.subscribe(topic, IntStream.range(0, this.options.users()).mapToObj((i) -> "fan-" + i).toList());
		double subscribeSeconds = (System.nanoTime() - subscribeStart) / 1e9;
		if (failed > 0) {
			return new NotMeasured("fanout-routing", failed + " of " + this.options.users() + " subscriptions failed",
					List.of());
		}
		String event = "{\"type\":\"bench.fanout\",\"recipients\":{\"topic\":\"" + topic
				+ "\"},\"channels\":[\"inapp\"],\"content\":{\"title\":\"Fan-out\",\"body\":\"To everyone\"}}";
		long start = System.nanoTime();
		this.cpu.startAt(start);
		HttpResponse<String> accepted = send(post(this.options.url().resolve("/v1/events"), event));
		Matcher id = EVENT_ID.matcher(accepted.body());
		if (accepted.statusCode() != 202 || !id.find()) {
			return new NotMeasured("fanout-routing", "the event was not accepted",
					List.of(accepted.statusCode() + " " + accepted.body()));
		}
		URI status = this.options.url().resolve("/v1/events/" + id.group(1));
		long deadline = start + this.options.duration().toNanos();
		long queued = 0;
		long appended = 0;
		double routedSeconds = Double.NaN;
		while (appended < this.options.users() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
			String body = send(get(status)).body();
			queued = routed(body);
			appended = appended(body);
			if (queued >= this.options.users() && Double.isNaN(routedSeconds)) {
				routedSeconds = (System.nanoTime() - start) / 1e9;
			}
		}
		this.cpu.end();
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Routed(this.options.users(), subscribeSeconds, queued,
				Double.isNaN(routedSeconds) ? seconds : routedSeconds, appended, seconds);
	}

	/**
	 * What a run measured.
	 *
	 * @param users the topic's subscribers
	 * @param subscribeSeconds how long subscribing them took
	 * @param queued in-app deliveries routed when the driver stopped looking
	 * @param seconds from the POST until every delivery was routed, or the driver gave up
	 * @param appended in-app deliveries appended to their inboxes when the driver stopped
	 * looking
	 * @param appendedSeconds from the POST until every delivery was appended, or the
	 * driver gave up
	 */
	record Routed(int users, double subscribeSeconds, long queued, double seconds, long appended,
			double appendedSeconds) implements Report {

		@Override
		public String table() {
			return String.format(Locale.ROOT, """
					scenario fanout-routing: one topic event to %d subscribers
					  subscribed in             %10.1f s
					  deliveries routed         %10d
					  time to all routed        %10.2f s%s
					  deliveries/s              %10.0f
					  time to all appended      %10.2f s%s
					""", this.users, this.subscribeSeconds, this.queued, this.seconds,
					(this.queued < this.users) ? "  (gave up after --duration)" : "", this.queued / this.seconds,
					this.appendedSeconds,
					(this.appended < this.users) ? "  (" + this.appended + " appended, gave up after --duration)" : "");
		}

		@Override
		public String json() {
			return String.format(Locale.ROOT,
					"{\"scenario\": \"fanout-routing\", \"users\": %d, \"subscribeSeconds\": %.1f, \"routed\": %d, "
							+ "\"seconds\": %.2f, \"deliveriesPerSecond\": %.0f, \"appended\": %d, "
							+ "\"appendedSeconds\": %.2f}%n",
					this.users, this.subscribeSeconds, this.queued, this.seconds, this.queued / this.seconds,
					this.appended, this.appendedSeconds);
		}

		@Override
		public boolean complete() {
			return this.queued >= this.users && this.appended >= this.users;
		}

		@Override
		public Work work() {
			return new Work(this.queued, "routed delivery");
		}

	}

	/**
	 * In-app deliveries that routing queued, whether or not the gateway has delivered
	 * them since.
	 */
	static long routed(String status) {
		return inApp(status, ROUTED);
	}

	/** In-app deliveries the gateway has appended to their inboxes. */
	static long appended(String status) {
		return inApp(status, APPENDED);
	}

	/** The sum of the in-app counts of the states a pattern matches. */
	private static long inApp(String status, Pattern states) {
		Matcher inapp = INAPP.matcher(status);
		long sum = 0;
		if (inapp.find()) {
			for (Matcher count = states.matcher(inapp.group(1)); count.find();) {
				sum += Long.parseLong(count.group(2));
			}
		}
		return sum;
	}

	private HttpRequest.Builder post(URI uri, String body) {
		return HttpRequest.newBuilder(uri)
			.header("Authorization", "Bearer " + this.options.apiKey())
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpRequest.Builder get(URI uri) {
		return HttpRequest.newBuilder(uri)
			.header("Authorization", "Bearer " + this.options.apiKey())
			.timeout(Duration.ofSeconds(30));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
