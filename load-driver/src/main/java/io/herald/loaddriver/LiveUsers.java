package io.herald.loaddriver;

import io.herald.client.UserTokenMinter;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The run's WebSocket users, {@code bench-<run>-0} to {@code bench-<run>-<n-1>}, each
 * with a fresh user token on {@code /v1/ws?access_token=...}, held open until
 * {@link #close()}. Opening keeps at most {@link #OPENING_AT_ONCE} handshakes waiting for
 * their {@code hello}, so the gateway sees a steady stream of connects rather than
 * thousands at once.
 */
final class LiveUsers implements AutoCloseable {

	/** Handshakes in flight at most while connecting. */
	static final int OPENING_AT_ONCE = 100;

	/** Ping interval when a {@code hello} does not say (the gateway's default). */
	static final long DEFAULT_HEARTBEAT_SEC = 25;

	/**
	 * Connections per HTTP client: each client has one selector thread doing all its I/O.
	 */
	private static final int CONNECTIONS_PER_CLIENT = 2_000;

	/** The longest wait between two attempts to reconnect. */
	static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	/** Failure messages kept to show; the rest are only counted. */
	private static final int ERRORS_KEPT = 5;

	private final Options.Live options;

	private final DeliveryLedger ledger;

	private final List<LiveUser> users = new ArrayList<>();

	private final List<HttpClient> clients = new ArrayList<>();

	private final ExecutorService callbacks = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().factory());

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("pings").factory());

	private final ConcurrentMap<String, LongAdder> frames = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, LongAdder> closes = new ConcurrentHashMap<>();

	private final List<String> errors = new ArrayList<>();

	private final LongAdder failures = new LongAdder();

	private final LongAdder pingsSent = new LongAdder();

	private final LongAdder reconnects = new LongAdder();

	private final Recorder resumeLatency = new Recorder(3);

	/** Longer than any run, shorter than a leaked benchmark token should live. */
	static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

	/**
	 * One signer serves every token of a run (API.md section 3: HS256 with the tenant's
	 * secret).
	 */
	private final UserTokenMinter tokens;

	private final URI endpoint;

	private volatile boolean closing;

	LiveUsers(Options.Live options, DeliveryLedger ledger) {
		this.options = options;
		this.ledger = ledger;
		this.tokens = tokens(options.tenant(), options.jwtSecret());
		this.endpoint = options.webSocketUri();
	}

	/**
	 * @throws IllegalArgumentException if the secret is shorter than the 32 bytes HS256
	 * needs
	 */
	static UserTokenMinter tokens(String tenant, String secret) {
		try {
			return UserTokenMinter.hs256(tenant, secret);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("--jwt-secret must be at least 32 bytes for HS256", ex);
		}
	}

	/**
	 * Opens {@code count} users and waits for each one's {@code hello}, at most
	 * {@code 120 s + 10 ms per user} (a gateway started a moment ago on a busy machine
	 * answers its first hundreds of handshakes slowly).
	 * @return how long it took, or {@code null} when some did not get a {@code hello}:
	 * then {@link #opened()} and {@link #errors()} tell how many and why
	 */
	Duration open(int count) throws InterruptedException {
		newClients(count);
		Semaphore opening = new Semaphore(OPENING_AT_ONCE);
		long start = System.nanoTime();
		long deadline = start + Duration.ofSeconds(120).plusMillis(10L * count).toNanos();
		for (int i = 0; i < count; i++) {
			LiveUser user = new LiveUser(this.options.user(i), this);
			this.users.add(user);
			if (!opening.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
				user.giveUp(new TimeoutException("no hello before the connect deadline"));
				continue;
			}
			user.hello().whenComplete((ignored, ex) -> opening.release());
			connect(user, i);
		}
		return awaitHellos(start, deadline);
	}

	/**
	 * Opens {@code count} users open loop, the {@code i}-th due at {@code i / rate}
	 * seconds after the start whatever became of the others, and records into
	 * {@code helloLatency} the time from each one's due time to its {@code hello}, so a
	 * gateway that falls behind shows as latency rather than as a slower pace (no
	 * coordinated omission). At most {@code maxOpening} handshakes wait at once; a user
	 * due while they all do waits too, and the wait counts in its latency.
	 * @return how long it took until the last {@code hello}, or {@code null} as
	 * {@link #open}
	 */
	Duration openAt(int count, int rate, int maxOpening, Recorder helloLatency) throws InterruptedException {
		newClients(count);
		Semaphore opening = new Semaphore(maxOpening);
		long start = System.nanoTime();
		long deadline = start + Duration.ofSeconds(120).plusMillis(10L * count).toNanos();
		long interval = 1_000_000_000L / rate;
		for (int i = 0; i < count; i++) {
			long due = start + i * interval;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			LiveUser user = new LiveUser(this.options.user(i), this);
			this.users.add(user);
			if (!opening.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
				user.giveUp(new TimeoutException("no hello before the connect deadline"));
				continue;
			}
			user.hello().whenComplete((ignored, ex) -> {
				opening.release();
				if (ex == null) {
					helloLatency.recordValue(Math.max(0, (System.nanoTime() - due) / 1_000));
				}
			});
			connect(user, i);
		}
		return awaitHellos(start, deadline);
	}

	private void newClients(int count) {
		int addresses = this.options.sourceAddresses();
		for (int i = 0; i < (count + CONNECTIONS_PER_CLIENT - 1) / CONNECTIONS_PER_CLIENT; i++) {
			HttpClient.Builder client = HttpClient.newBuilder()
				.executor(this.callbacks)
				.connectTimeout(Duration.ofSeconds(10));
			if (addresses > 1) {
				client.localAddress(sourceAddress(i % addresses));
			}
			this.clients.add(client.build());
		}
	}

	private @Nullable Duration awaitHellos(long start, long deadline) throws InterruptedException {
		boolean complete = true;
		for (LiveUser user : this.users) {
			try {
				user.hello().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				complete = false;
			}
			catch (TimeoutException ex) {
				user.giveUp(ex);
				complete = false;
			}
		}
		return complete ? Duration.ofNanos(System.nanoTime() - start) : null;
	}

	/**
	 * Connects the user again after {@code attempts} failed attempts in a row: at once
	 * (spread over up to 100 ms) after the first drop, then after an exponential backoff
	 * with jitter, up to {@link #MAX_BACKOFF}, as a well-behaved client does when the
	 * gateway is away.
	 */
	void reconnect(LiveUser user, int attempts) {
		if (this.closing) {
			return;
		}
		this.reconnects.increment();
		long ceiling = (attempts == 0) ? 100 : Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(attempts, 10));
		long delay = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
		try {
			this.scheduler.schedule(() -> connect(user, ThreadLocalRandom.current().nextInt(this.clients.size())),
					delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closing
		}
	}

	/**
	 * Drops every connection without a close handshake; each user reconnects with
	 * {@code resume}.
	 */
	void dropAll() {
		this.users.forEach(LiveUser::drop);
	}

	/** Users that dropped and have not been resumed yet. */
	long resuming() {
		return this.users.stream().filter(LiveUser::resuming).count();
	}

	/**
	 * A reconnected user received {@code resumed}, {@code nanos} after its connection
	 * dropped.
	 */
	void resumed(long nanos) {
		this.resumeLatency.recordValue(Math.max(1, nanos / 1_000));
	}

	/**
	 * What reconnecting took so far: attempts, resumes and the time from drop to
	 * {@code resumed}.
	 */
	Reconnects reconnects() {
		return new Reconnects(this.reconnects.sum(), this.resumeLatency.getIntervalHistogram(), resuming());
	}

	private void connect(LiveUser user, int client) {
		if (this.closing) {
			return;
		}
		URI uri = URI.create(
				this.endpoint + "?access_token=" + this.tokens.mint(user.id(), TOKEN_LIFETIME) + user.resumeQuery());
		this.clients.get(client % this.clients.size())
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(30))
			.buildAsync(uri, user.connect())
			.whenComplete((socket, ex) -> {
				if (ex != null) {
					user.failed(ex);
				}
			});
	}

	/**
	 * The {@code index}th source address: 127.0.0.1, 127.0.0.2, ... (all of 127/8 is
	 * loopback).
	 */
	static InetAddress sourceAddress(int index) {
		try {
			return InetAddress
				.getByAddress(new byte[] { 127, (byte) (index >> 16), (byte) (index >> 8), (byte) (index + 1) });
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Users whose {@code hello} arrived. */
	long opened() {
		return this.users.stream()
			.filter((user) -> user.hello().isDone() && !user.hello().isCompletedExceptionally())
			.count();
	}

	/** Users whose connection is open now. */
	long open() {
		return this.users.stream().filter(LiveUser::isOpen).count();
	}

	List<LiveUser> users() {
		return this.users;
	}

	DeliveryLedger ledger() {
		return this.ledger;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	/** Frames received by type. */
	Map<String, Long> frames() {
		return snapshot(this.frames);
	}

	/** Connections that ended, by the close code the gateway sent, or {@code error}. */
	Map<String, Long> closes() {
		return snapshot(this.closes);
	}

	long failures() {
		return this.failures.sum();
	}

	/** The first few failures, for the report. */
	List<String> errors() {
		synchronized (this.errors) {
			return List.copyOf(this.errors);
		}
	}

	long pingsSent() {
		return this.pingsSent.sum();
	}

	void frameReceived(String type) {
		this.frames.computeIfAbsent(type, (key) -> new LongAdder()).increment();
	}

	void closedBy(String code) {
		this.closes.computeIfAbsent(code, (key) -> new LongAdder()).increment();
	}

	void pingSent() {
		this.pingsSent.increment();
	}

	void failed(Throwable error) {
		this.failures.increment();
		Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		String message = (cause instanceof WebSocketHandshakeException handshake)
				? "handshake refused with HTTP " + handshake.getResponse().statusCode() : cause.toString();
		synchronized (this.errors) {
			if (this.errors.size() < ERRORS_KEPT) {
				this.errors.add(message);
			}
		}
	}

	/**
	 * Closes every connection normally, waits up to 10 s for the gateway to answer, then
	 * drops the rest.
	 */
	@Override
	public void close() {
		this.closing = true;
		List<CompletableFuture<?>> closing = this.users.stream().map(LiveUser::close).toList();
		try {
			CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (open() > 0 && System.nanoTime() < deadline) {
				LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// dropped below
		}
		this.users.forEach(LiveUser::abort);
		this.clients.forEach(HttpClient::shutdownNow);
		this.scheduler.shutdownNow();
		this.callbacks.shutdownNow();
	}

	private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
		Map<String, Long> copy = new TreeMap<>();
		counters.forEach((key, count) -> copy.put(key, count.sum()));
		return copy;
	}

	/**
	 * Reconnecting, so far.
	 *
	 * @param attempts connection attempts after a drop, failed ones included
	 * @param resumeLatency from each drop to the {@code resumed} frame, microseconds
	 * @param resuming users dropped and not resumed yet
	 */
	record Reconnects(long attempts, Histogram resumeLatency, long resuming) {
	}

}
