package io.herald.loaddriver;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Email, SMS and push end to end, through the public API only: gives {@code --users}
 * users an email address, a phone number, an iOS and an Android device, then POSTs
 * {@code critical} events (exempt from per-user rate limits) to one of them at
 * {@code --rate} events/s, open loop, for {@code --duration}. Each event carries a marker
 * in its title and body; after {@code --drain}, the provider sandboxes'
 * {@code messages.json} tells, per channel, what arrived when: the latency from the
 * moment a POST was due to the provider's receipt, and the sends per second each channel
 * sustained. Only for the local stack, whose sandboxes stand in for the providers.
 */
final class DeliveryScenario {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> CHANNELS = List.of("email", "sms", "apns", "fcm");

	/** How long setup requests are retried while routing answers {@code 503}. */
	static final Duration SETUP_PATIENCE = Duration.ofSeconds(60);

	private final Options options;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Map<Long, Instant> postedAt = new ConcurrentHashMap<>();

	private final AtomicLong outstanding = new AtomicLong();

	private final Set<Long> acceptedEvents = ConcurrentHashMap.newKeySet();

	private final Runnable disruption;

	private final CpuMeter cpu;

	private volatile @Nullable String pageError;

	/**
	 * A run with an extra disruption halfway through, on its own thread: the chaos suite
	 * kills a process there.
	 */
	DeliveryScenario(Options options, Runnable disruption, CpuMeter cpu) {
		this.options = options;
		this.disruption = disruption;
		this.cpu = cpu;
	}

	Report run() throws InterruptedException {
		String run = this.options.live().run();
		String marker = "bench-" + run + "-";
		createUsers(run);
		long notSent = 0;
		Thread disrupting = null;
		Instant firstPost;
		try (Http1Connections connections = new Http1Connections(this.options.url(), this.options.connections(),
				this.options.maxInFlight())) {
			long intervalNanos = 1_000_000_000L / this.options.rate();
			long start = System.nanoTime();
			firstPost = Instant.now();
			this.cpu.startAt(start);
			long end = start + this.options.duration().toNanos();
			long halfway = start + this.options.duration().toNanos() / 2;
			long sequence = 0;
			for (long due = start; due - end < 0; due = start + (++sequence) * intervalNanos) {
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				if (disrupting == null && due - halfway >= 0) {
					disrupting = Thread.ofPlatform().name("disruption").start(this.disruption);
				}
				long n = sequence;
				// The moment the POST was due, on the wall clock the sandboxes stamp
				// receipts with.
				this.postedAt.put(n, firstPost.plusNanos(due - start));
				this.outstanding.incrementAndGet();
				String user = "bench-" + run + "-" + (n % this.options.users());
				String body = """
						{"type": "bench.delivery", "priority": "critical", "recipients": {"users": ["%s"]},
						 "channels": ["push", "email", "sms"], "content": {"title": "%s%d", "body": "%s%d"}}"""
					.formatted(user, marker, n, marker, n);
				boolean queued = connections.offer("/v1/events", this.options.apiKey(),
						body.getBytes(StandardCharsets.UTF_8), (response) -> {
							if (response.status() == 202) {
								this.acceptedEvents.add(n);
							}
							this.outstanding.decrementAndGet();
						});
				if (!queued) {
					this.outstanding.decrementAndGet();
					this.postedAt.remove(n);
					notSent++;
				}
			}
			while (this.outstanding.get() > 0) {
				LockSupport.parkNanos(10_000_000);
			}
		}
		if (disrupting != null) {
			disrupting.join();
		}
		Map<String, Map<Long, List<Receipt>>> received = awaitReceipts(marker);
		this.cpu.end();
		if (received == null) {
			return new NotMeasured("delivery", "the provider sandboxes' page did not answer",
					List.of(String.valueOf(this.pageError)));
		}
		return new DeliveryResults(this.options, Set.copyOf(this.acceptedEvents), notSent, firstPost, this.postedAt,
				received);
	}

	/**
	 * Polls the sandboxes until every accepted event arrived on every channel, or the
	 * drain time is up; a poll that fails keeps the previous answer.
	 * @return the receipts, or {@code null} if the sandboxes' page never answered
	 */
	private @Nullable Map<String, Map<Long, List<Receipt>>> awaitReceipts(String marker) throws InterruptedException {
		long deadline = System.nanoTime() + this.options.live().drain().toNanos();
		Map<String, Map<Long, List<Receipt>>> received = null;
		do {
			Map<String, Map<Long, List<Receipt>>> latest = receipts(marker);
			if (latest != null) {
				received = latest;
				if (received.values()
					.stream()
					.allMatch((channel) -> channel.keySet().containsAll(this.acceptedEvents))) {
					break;
				}
			}
			Thread.sleep(1_000);
		}
		while (System.nanoTime() - deadline < 0);
		return received;
	}

	/**
	 * What the sandboxes received so far, or {@code null} if their page did not answer.
	 */
	private @Nullable Map<String, Map<Long, List<Receipt>>> receipts(String marker) {
		Map<String, Map<Long, List<Receipt>>> byChannel = new LinkedHashMap<>();
		CHANNELS.forEach((channel) -> byChannel.put(channel, new HashMap<>()));
		JsonNode sandboxes;
		try {
			sandboxes = JSON.readTree(get(this.options.sandboxUrl().resolve("/messages.json")).body());
		}
		catch (RuntimeException ex) {
			this.pageError = ex.getMessage();
			return null;
		}
		Pattern number = Pattern.compile(Pattern.quote(marker) + "([0-9]+)");
		for (String channel : CHANNELS) {
			for (JsonNode message : sandboxes.path(channel)) {
				String text = message.path((channel.equals("email")) ? "subject" : "body").asString("");
				Matcher matcher = number.matcher(text);
				if (!matcher.find()) {
					continue;
				}
				String at = message.path(channel.equals("sms") ? "dateCreated" : "receivedAt").asString("");
				if (at.isEmpty()) {
					continue;
				}
				byChannel.get(channel)
					.computeIfAbsent(Long.parseLong(matcher.group(1)), (n) -> new ArrayList<>())
					.add(new Receipt(Instant.parse(at), identity(channel, message)));
			}
		}
		return byChannel;
	}

	/**
	 * What makes a message one notification in the receiver's eyes: the mailbox's
	 * {@code Message-ID}, the device's collapse id (APNs) or notification tag (FCM, the
	 * notification id in the data), and for SMS each message, which no phone collapses.
	 */
	static String identity(String channel, JsonNode message) {
		return switch (channel) {
			case "email" -> message.path("messageId").asString("");
			case "apns" -> message.path("collapseId").asString(message.path("apnsId").asString(""));
			case "fcm" -> message.path("data").path("heraldNotificationId").asString(message.path("name").asString(""));
			default -> message.path("sid").asString("");
		};
	}

	/**
	 * One message a sandbox received.
	 *
	 * @param at when it arrived
	 * @param identity what the receiver collapses repeats by, see {@link #identity}
	 */
	record Receipt(Instant at, String identity) {
	}

	private void createUsers(String run) throws InterruptedException {
		List<Future<?>> calls = new ArrayList<>();
		try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
			for (int i = 0; i < this.options.users(); i++) {
				String user = "bench-" + run + "-" + i;
				int index = i;
				calls.add(threads.submit(() -> {
					put("/v1/users/" + user, """
							{"email": "%s@example.com", "phone": "+49151%08d"}""".formatted(user, index));
					post("/v1/users/" + user + "/devices", """
							{"platform": "ios", "token": "%s"}""".formatted(iosToken(run, index)));
					post("/v1/users/" + user + "/devices", """
							{"platform": "android", "token": "%s"}""".formatted(androidToken(run, index)));
					return null;
				}));
			}
			for (Future<?> call : calls) {
				call.get();
			}
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IllegalStateException("could not create the benchmark's users: " + ex.getCause().getMessage(),
					ex.getCause());
		}
		// Routing folds user commands asynchronously: wait until the last user's devices
		// are there.
		String last = "bench-" + run + "-" + (this.options.users() - 1);
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!get(this.options.routingUrl().resolve("/v1/users/" + last + "/devices")).body()
			.contains(androidToken(run, this.options.users() - 1))) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("routing did not show the benchmark's users within 60 s");
			}
			Thread.sleep(200);
		}
	}

	static String iosToken(String run, int index) {
		byte[] bytes = new byte[32];
		byte[] seed = (run + "-" + index).getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) (seed[i % seed.length] * 31 + i);
		}
		bytes[0] = (byte) 0x1a;
		return HexFormat.of().formatHex(bytes);
	}

	static String androidToken(String run, int index) {
		return ("bench-" + run + "-" + index + ":APA91b").concat("x".repeat(120));
	}

	private HttpResponse<String> put(String path, String body) {
		return send(HttpRequest.newBuilder(this.options.routingUrl().resolve(path))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body)));
	}

	private HttpResponse<String> post(String path, String body) {
		return send(HttpRequest.newBuilder(this.options.routingUrl().resolve(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private HttpResponse<String> get(URI uri) {
		return send(HttpRequest.newBuilder(uri).GET());
	}

	/**
	 * Sends a setup request as a well-behaved client does: a {@code 503} (routing
	 * restarting or rebalancing) is retried after its {@code Retry-After}, for at most
	 * {@link #SETUP_PATIENCE}; any other error ends the run.
	 */
	private HttpResponse<String> send(HttpRequest.Builder request) {
		HttpRequest built = request.header("Authorization", "Bearer " + this.options.apiKey())
			.timeout(Duration.ofSeconds(30))
			.build();
		long deadline = System.nanoTime() + SETUP_PATIENCE.toNanos();
		try {
			while (true) {
				HttpResponse<String> response = this.http.send(built, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 503 && System.nanoTime() - deadline < 0) {
					Thread.sleep(retryAfter(response).toMillis());
					continue;
				}
				if (response.statusCode() >= 400) {
					throw new IllegalStateException(
							built.uri() + " answered " + response.statusCode() + ": " + response.body());
				}
				return response;
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(built.uri() + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/**
	 * A {@code 503}'s {@code Retry-After} in seconds, one second when it has none, at
	 * most five.
	 */
	static Duration retryAfter(HttpResponse<?> response) {
		long seconds = response.headers()
			.firstValue("Retry-After")
			.filter((value) -> value.matches("\\d{1,4}"))
			.map(Long::parseLong)
			.orElse(1L);
		return Duration.ofSeconds(Math.clamp(seconds, 1, 5));
	}

	/** A histogram of milliseconds. */
	static Histogram histogram() {
		return new Histogram(3_600_000L, 3);
	}

}
