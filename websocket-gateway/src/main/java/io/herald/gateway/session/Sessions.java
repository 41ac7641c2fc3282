package io.herald.gateway.session;

import io.herald.gateway.auth.UserPrincipal;
import io.herald.gateway.inbox.GatewayNode;
import io.herald.gateway.inbox.Inbox;
import io.herald.gateway.inbox.Receipts;
import io.herald.support.tracing.RecordTracing;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.micrometer.core.instrument.Gauge;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sessions of this node: opens them, beats their hearts (pings, dead-connection
 * checks and presence leases, every {@link SessionProperties#heartbeat()}), and on
 * shutdown closes every one with {@code 1001} so that clients resume on another node. It
 * stops together with the web server's graceful shutdown, which waits for SSE streams to
 * end.
 */
@Component
public class Sessions implements SmartLifecycle, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(Sessions.class);

	/**
	 * How long shutdown waits for the close frames of its sessions (a stuck client must
	 * not hold it).
	 */
	private static final Duration SHUTDOWN_CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private final Set<Session> open = ConcurrentHashMap.newKeySet();

	private final SessionContext context;

	private final GatewayNode node;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final ScheduledThreadPoolExecutor scheduler = newScheduler();

	private volatile boolean running;

	Sessions(Inbox inbox, Receipts receipts, LiveHub hub, Presence presence, SessionMetrics metrics,
			SessionProperties properties, Clock clock, RecordTracing tracing, GatewayNode node) {
		this.node = node;
		this.context = new SessionContext(inbox, receipts, hub, presence, this, metrics, properties, clock,
				this.executor, this.scheduler, tracing);
		for (String transport : List.of("websocket", "sse")) {
			Gauge.builder("herald.gateway.connections", this.open,
					(sessions) -> sessions.stream().filter((s) -> s.connection().transport().equals(transport)).count())
				.description("Open client connections")
				.tag("transport", transport)
				.register(metrics.registry());
		}
	}

	/**
	 * The heartbeat and token-expiry timer. Sessions cancel their expiry when they close:
	 * removed at once, or closed connections' tasks would pile up until their tokens
	 * expire.
	 */
	private static ScheduledThreadPoolExecutor newScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().name("herald-heartbeat").daemon().factory());
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	/**
	 * Opens a session on a connection and starts it (asynchronously). The transport
	 * passes what happens on the connection to the returned session.
	 * @param since replay from this seq, as a {@code resume} would; {@code null} for live
	 * only
	 * @param presenceHeld whether the caller already counted the connection with
	 * {@link #admit}
	 */
	public ClientSession open(String sessionId, UserPrincipal user, Connection connection, @Nullable Long since,
			boolean presenceHeld) {
		Session session = new Session(sessionId, user, connection, this.context);
		this.open.add(session);
		this.context.metrics().opened(connection.transport());
		if (this.running) {
			session.open(since, presenceHeld);
		}
		else {
			session.close(CloseReason.SHUTDOWN);
		}
		return session;
	}

	/**
	 * Counts a connection against its user's limit before it is opened (SSE must know
	 * before it answers).
	 * @return a new session id, or {@code null} when the user holds the most connections
	 * allowed
	 */
	public @Nullable String admit(UserPrincipal user) {
		String sessionId = newSessionId();
		return this.context.presence().acquire(user.tenant(), user.userId(), sessionId) ? sessionId : null;
	}

	/** Lets go of a connection counted with {@link #admit} that was never opened. */
	void release(UserPrincipal user, String sessionId) {
		this.context.presence().release(user.tenant(), user.userId(), sessionId);
	}

	/**
	 * A fresh id for a session of this node, which names the node
	 * ({@link GatewayNode#newSessionId()}).
	 */
	public String newSessionId() {
		return this.node.newSessionId();
	}

	void remove(Session session) {
		this.open.remove(session);
	}

	/** How many sessions are open on this node. */
	public int size() {
		return this.open.size();
	}

	private void beat() {
		try {
			long now = this.context.clock().millis();
			this.open.forEach((session) -> session.heartbeat(now));
			this.executor.execute(() -> {
				try {
					this.context.presence().refresh(List.copyOf(this.open));
				}
				catch (RuntimeException ex) {
					logger.warn("Could not refresh the presence of {} sessions: {}", this.open.size(), ex.toString());
				}
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Heartbeat failed", ex);
		}
	}

	private void verifyLiveChannel() {
		try {
			this.context.hub().verify();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not verify the live channel's subscription: {}", ex.toString());
		}
	}

	@Override
	public void start() {
		long period = this.context.properties().heartbeat().toMillis();
		this.scheduler.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
		long verify = LiveHub.VERIFY_INTERVAL.toMillis();
		this.scheduler.scheduleWithFixedDelay(() -> this.executor.execute(this::verifyLiveChannel), verify, verify,
				TimeUnit.MILLISECONDS);
		this.running = true;
	}

	/**
	 * Closes every session with {@code 1001} and waits, a bounded time, until the close
	 * frames are out.
	 */
	@Override
	public void stop() {
		this.running = false;
		CompletableFuture<?>[] closes = this.open.stream()
			.map((session) -> session.close(CloseReason.SHUTDOWN))
			.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(closes).get(SHUTDOWN_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Not every session was closed cleanly on shutdown: {}", ex.toString());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stopped in the same phase as the graceful shutdown, which waits for the SSE
		// streams that this closes.
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
		this.executor.shutdown();
	}

	/**
	 * The seq a connection resumes after, from a query parameter or header named
	 * {@code name} ({@code since}, {@code Last-Event-ID}).
	 * @return {@code null} when none is given
	 * @throws ApiProblemException ({@code 400 invalid_request}) for a value that is no
	 * seq
	 */
	public static @Nullable Long since(@Nullable String value, String name) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			long seq = Long.parseLong(value.strip());
			if (seq >= 0) {
				return seq;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new ApiProblemException(ErrorCode.INVALID_REQUEST,
				"'" + name + "' must be a seq: an integer of at least 0.");
	}

}
