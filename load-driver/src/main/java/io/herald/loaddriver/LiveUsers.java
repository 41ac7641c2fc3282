package io.herald.loaddriver;

import io.herald.client.UserTokenMinter;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
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

	/** The largest frame, and the largest handshake response, the users read. */
	private static final int MAX_FRAME_BYTES = 1 << 20;

	/** How long a handshake may take before the attempt fails and is tried again. */
	private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

	/** The longest wait between two attempts to reconnect. */
	static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	/** Failure messages kept to show; the rest are only counted. */
	private static final int ERRORS_KEPT = 5;

	private final Options.Live options;

	private final DeliveryLedger ledger;

	private final List<LiveUser> users = new ArrayList<>();

	/**
	 * One event loop per core does every connection's I/O, handshakes and frames: the
	 * driver shares the machine with what it measures.
	 */
	private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
			new DefaultThreadFactory("live-users", true), NioIoHandler.newFactory());

	private final Bootstrap bootstrap;

	private final InetSocketAddress gateway;

	private final @Nullable SslContext tls;

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("reconnects").factory());

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
		boolean secure = "wss".equals(this.endpoint.getScheme());
		int port = (this.endpoint.getPort() != -1) ? this.endpoint.getPort() : (secure ? 443 : 80);
		this.gateway = new InetSocketAddress(this.endpoint.getHost(), port);
		this.tls = secure ? tls() : null;
		this.bootstrap = new Bootstrap().group(this.loops)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
			.option(ChannelOption.TCP_NODELAY, true);
	}

	private static SslContext tls() {
		try {
			return SslContextBuilder.forClient().build();
		}
		catch (javax.net.ssl.SSLException ex) {
			throw new IllegalStateException("TLS for wss:// cannot be set up", ex);
		}
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
			this.scheduler.schedule(() -> connect(user, ThreadLocalRandom.current().nextInt(1 << 16)), delay,
					TimeUnit.MILLISECONDS);
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

	/**
	 * Opens a connection for the user, from the {@code source}th source address when the
	 * options give more than one.
	 */
	private void connect(LiveUser user, int source) {
		if (this.closing) {
			return;
		}
		URI uri = URI.create(
				this.endpoint + "?access_token=" + this.tokens.mint(user.id(), TOKEN_LIFETIME) + user.resumeQuery());
		ChannelHandler connection = user.connect();
		Bootstrap attempt = this.bootstrap.clone().handler(new ChannelInitializer<Channel>() {

			@Override
			protected void initChannel(Channel channel) {
				ChannelPipeline pipeline = channel.pipeline();
				if (LiveUsers.this.tls != null) {
					pipeline.addLast(LiveUsers.this.tls.newHandler(channel.alloc(),
							LiveUsers.this.gateway.getHostString(), LiveUsers.this.gateway.getPort()));
				}
				pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_FRAME_BYTES),
						new WebSocketClientProtocolHandler(handshake(uri)),
						new WebSocketFrameAggregator(MAX_FRAME_BYTES), connection);
			}

		});
		int addresses = this.options.sourceAddresses();
		ChannelFuture connecting = (addresses > 1)
				? attempt.connect(this.gateway, new InetSocketAddress(sourceAddress(source % addresses), 0))
				: attempt.connect(this.gateway);
		// A connection that never opened has no events for its handler to see.
		connecting.addListener((opened) -> {
			if (!opened.isSuccess()) {
				user.failed(opened.cause());
			}
		});
	}

	/**
	 * The handshake as a browser's client makes it, without an {@code Origin} (the driver
	 * is no page) and with close frames passed on, so that their codes are counted.
	 */
	private static WebSocketClientProtocolConfig handshake(URI uri) {
		return WebSocketClientProtocolConfig.newBuilder()
			.webSocketUri(uri)
			.generateOriginHeader(false)
			.handleCloseFrames(false)
			.withUTF8Validator(false)
			.maxFramePayloadLength(MAX_FRAME_BYTES)
			.handshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis())
			.build();
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
		int status = LiveUser.refusedStatus(cause);
		String message = (status != 0) ? "handshake refused with HTTP " + status : cause.toString();
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
		this.loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		this.scheduler.shutdownNow();
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
