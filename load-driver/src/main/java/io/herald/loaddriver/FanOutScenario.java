package io.herald.loaddriver;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Fan-out to live users through the public API: connects {@code --users} WebSocket users,
 * subscribes them all to the run's topic {@code bench-live-<run>} (routing's user API,
 * which also makes them known users of the tenant), then publishes {@code --rounds}
 * events ({@code channels: ["inapp"]}, normal priority, as a broadcast would be sent) to
 * {@code --audience}: the topic ({@code recipients.topic}) or every user of the tenant
 * ({@code recipients.all}, which also reaches the tenant's users that are not connected),
 * one after the other, and times each from the POST to the first and to the last
 * {@code notification} frame. A connected user still without the frame {@code --duration}
 * after the POST counts it as lost. A run with a stop condition subscribes no one and
 * publishes no further round once it answers {@code true} (asked once the users are
 * connected and before each round), and reports the rounds it published.
 */
final class FanOutScenario {

	private final Options options;

	private final DeliveryLedger ledger = new DeliveryLedger();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final CpuMeter cpu;

	private final BooleanSupplier stop;

	FanOutScenario(Options options, BooleanSupplier stop, CpuMeter cpu) {
		this.options = options;
		this.stop = stop;
		this.cpu = cpu;
	}

	Report run() throws InterruptedException {
		FileLimit.check(this.options.users(), this.options.connections());
		Options.Live live = this.options.live();
		try (LiveUsers users = new LiveUsers(live, this.ledger)) {
			Duration connected = users.open(this.options.users());
			if (connected == null) {
				return new NotMeasured("fanout", users.opened() + " of " + this.options.users() + " users got hello",
						users.errors());
			}
			if (this.stop.getAsBoolean()) {
				return new FanOutResults(this.options, connected, Duration.ZERO, List.of(), users.frames(),
						users.closes(), users.open(), this.ledger.late());
			}
			String topic = "bench-live-" + live.run();
			List<String> ids = IntStream.range(0, this.options.users()).mapToObj(live::user).toList();
			long subscribeStart = System.nanoTime();
			long failed = new TopicSubscriptions(this.options.routingUrl(), this.options.apiKey(),
					this.options.connections())
				.subscribe(topic, ids);
			Duration subscribed = Duration.ofNanos(System.nanoTime() - subscribeStart);
			if (failed > 0) {
				return new NotMeasured("fanout", failed + " of " + ids.size() + " subscriptions failed", List.of());
			}
			warmUpPosts();
			List<FanOutResults.Round> rounds = new ArrayList<>();
			this.cpu.startAt(System.nanoTime());
			for (int round = 0; round < live.rounds() && !this.stop.getAsBoolean(); round++) {
				rounds.add(round(topic, ids, round));
			}
			return new FanOutResults(this.options, connected, subscribed, rounds, users.frames(), users.closes(),
					users.open(), this.ledger.late());
		}
	}

	private FanOutResults.Round round(String topic, List<String> ids, long key) {
		long duplicates = this.ledger.duplicates();
		long outOfOrder = this.ledger.outOfOrder();
		long unexpected = this.ledger.unexpected();
		long sent = System.nanoTime();
		ids.forEach((id) -> this.ledger.expect(id, key, sent, true));
		String recipients = "all".equals(this.options.live().audience()) ? "{\"all\":true}"
				: "{\"topic\":\"" + topic + "\"}";
		HttpResponse<String> response = post(event(recipients, sent, key));
		Duration answered = Duration.ofNanos(System.nanoTime() - sent);
		if (response.statusCode() != 202) {
			ids.forEach((id) -> this.ledger.notAccepted(id, key));
		}
		long deadline = sent + this.options.duration().toNanos();
		while (this.ledger.awaited() > 0 && System.nanoTime() < deadline) {
			LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
		}
		// The last round's end is the period's.
		this.cpu.end();
		LockSupport.parkNanos(TargetedScenario.LINGER.toNanos());
		long lost = this.ledger.giveUp();
		Histogram latency = this.ledger.takeLatency();
		return new FanOutResults.Round(response.statusCode(), answered, latency, lost,
				this.ledger.duplicates() - duplicates, this.ledger.outOfOrder() - outOfOrder,
				this.ledger.unexpected() - unexpected);
	}

	static String event(String recipients, long sentNanos, long key) {
		return "{\"type\":\"bench.fanout\",\"recipients\":" + recipients
				+ ",\"channels\":[\"inapp\"],\"priority\":\"normal\",\"content\":{\"title\":\"t\",\"body\":\"b\"},"
				+ "\"data\":{\"sentAtNanos\":" + sentNanos + ",\"k\":" + key + "}}";
	}

	/**
	 * Asks ingestion for an event that does not exist, through the client the rounds post
	 * with: its connection is then open and its code loaded, so that the first round's
	 * latency does not count the driver's own first request.
	 */
	private void warmUpPosts() {
		HttpRequest request = HttpRequest.newBuilder(this.options.url().resolve("/v1/events/bench-warm-up"))
			.header("Authorization", "Bearer " + this.options.apiKey())
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build();
		try {
			this.http.send(request, HttpResponse.BodyHandlers.discarding());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException("Could not reach ingestion: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpResponse<String> post(String body) {
		HttpRequest request = HttpRequest.newBuilder(this.options.url().resolve("/v1/events"))
			.header("Authorization", "Bearer " + this.options.apiKey())
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException("Could not publish the fan-out event: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
