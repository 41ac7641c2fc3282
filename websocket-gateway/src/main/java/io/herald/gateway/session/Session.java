package io.herald.gateway.session;

import io.herald.gateway.auth.UserPrincipal;
import io.herald.gateway.inbox.InboxCursors.Move;
import io.herald.gateway.inbox.InboxState;
import io.herald.gateway.inbox.LiveMessage;
import io.herald.gateway.inbox.NotificationFrame;
import io.herald.gateway.inbox.StoreFailures;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection of a user, over any transport, speaking the frames of API.md section 3.
 *
 * <p>
 * Guarantee: the connection receives the user's notifications in seq order, each at most
 * once, and none is skipped after the point it started from: {@code hello}'s
 * {@code lastSeq}, or the {@code since} of a {@code resume}, until it gets {@code reset}.
 * One number keeps it so: {@link #cursor}, the last seq the connection has. A live
 * notification is written only when it is the cursor's successor; an older one is
 * dropped; a newer one means something was missed (Pub/Sub is at most once), and the
 * session reads the gap from the inbox. Since the session holds its presence entry and is
 * registered with this node's {@link LiveHub} before it reads the inbox, nothing can fall
 * between replay and live. Until the client's first frame (or
 * {@link SessionProperties#resumeWindow()}) live notifications wait in the inbox, so that
 * a client which opens with {@code resume} gets nothing before its replay that the replay
 * would repeat.
 *
 * <p>
 * Everything runs on the session's {@link SerialExecutor}, one task at a time, so the
 * cursor needs no lock and frames leave in order. Live notifications wait there, in
 * memory, while writes are under way, but never more than
 * {@link SessionProperties#sendBuffer()} bytes of them: beyond that the session stops
 * taking live payloads and, once its writes have caught up, reads what it skipped from
 * the inbox instead, with the socket's own pace as backpressure. A burst thus costs
 * bounded memory per connection, and a client that stops reading is closed as slow
 * ({@code 1013}) as soon as one write blocks for {@link SessionProperties#sendTimeout()};
 * it resumes when it reads again.
 */
final class Session implements ClientSession {

	private static final Logger logger = LoggerFactory.getLogger(Session.class);

	/** The name of the span of a live notification's push to one session. */
	static final String PUSH_SPAN = "herald.live.push";

	/** The longest wait between two tries of a resume whose inbox read failed. */
	static final Duration MAX_RESUME_BACKOFF = Duration.ofSeconds(2);

	private final String id;

	private final UserPrincipal user;

	private final Connection connection;

	private final SessionContext context;

	private final SerialExecutor serial;

	private final AtomicLong waitingBytes = new AtomicLong();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final AtomicBoolean released = new AtomicBoolean();

	/**
	 * Live notifications are skipped, to be read from the inbox: the send buffer was
	 * full.
	 */
	private final AtomicBoolean lagging = new AtomicBoolean();

	private volatile long lastHeardMs;

	/**
	 * When the write under way started ({@link System#nanoTime()}), {@code 0} when none
	 * is.
	 */
	private volatile long writeStartedNanos;

	private volatile @Nullable ScheduledFuture<?> expiry;

	/**
	 * The last seq this connection has; {@code -1} until {@code hello} is written. Serial
	 * only.
	 */
	private long cursor = -1;

	/** Frames the client sent that were not understood. Serial only. */
	private int badFrames;

	/**
	 * Live notifications wait in the inbox until the client's first frame or the resume
	 * window: a client that resumes must not get live frames before its {@code resume},
	 * which would come again in the replay. Serial only.
	 */
	private boolean holdingLive;

	/**
	 * The seq a {@code resume} replays from while the inbox could not be read for it
	 * (Redis down or too slow): the session tries again itself, and live notifications
	 * wait in the inbox until it succeeds, so that the client's gap is never skipped.
	 * {@code null} when no resume is pending. Serial only.
	 */
	private @Nullable Long pendingResume;

	/**
	 * Failed tries of the pending resume, for the backoff of the next one. Serial only.
	 */
	private int resumeTries;

	/**
	 * Counts the client's resumes, so that a retry of one that a newer resume replaced
	 * does nothing. Serial only.
	 */
	private int resumes;

	Session(String id, UserPrincipal user, Connection connection, SessionContext context) {
		this.id = id;
		this.user = user;
		this.connection = connection;
		this.context = context;
		this.serial = new SerialExecutor(context.executor());
		this.lastHeardMs = context.clock().millis();
	}

	String id() {
		return this.id;
	}

	UserPrincipal user() {
		return this.user;
	}

	Connection connection() {
		return this.connection;
	}

	/**
	 * Starts the session: registers for the user's live messages, writes {@code hello},
	 * and with a {@code since} replays from there as a {@code resume} does.
	 * @param presenceHeld whether the caller already counted the connection against the
	 * user's limit
	 */
	void open(@Nullable Long since, boolean presenceHeld) {
		this.serial.execute(() -> start(since, presenceHeld));
	}

	/** A text frame from the client. */
	@Override
	public void receive(String text) {
		heard();
		this.serial.execute(() -> handle(ClientFrame.parse(text)));
	}

	/** A frame the gateway does not take (binary), counted as a bad frame. */
	@Override
	public void receiveUnsupported(String what) {
		heard();
		this.serial.execute(() -> handle(new ClientFrame.Invalid(what + " frames are not part of the protocol")));
	}

	/** Anything arrived from the client, a pong included. */
	@Override
	public void heard() {
		this.lastHeardMs = this.context.clock().millis();
	}

	/**
	 * A live message for the user; never blocks (it runs on Redis's event loop or the
	 * inbox writer's thread).
	 */
	void deliver(LiveMessage message, int size) {
		if (this.closed.get()) {
			return;
		}
		boolean notification = message instanceof LiveMessage.Notification;
		if (notification && this.lagging.get()) {
			return;
		}
		if (notification && this.waitingBytes.get() + size > this.context.properties().sendBuffer().toBytes()) {
			if (this.lagging.compareAndSet(false, true)) {
				this.context.metrics().lagged();
				this.serial.execute(() -> {
					// Cleared before the read: what is published from now on queues
					// again, and what was skipped is in the inbox by the time it was
					// published.
					this.lagging.set(false);
					replayIfLive();
				});
			}
			return;
		}
		this.waitingBytes.addAndGet(size);
		this.serial.execute(() -> {
			this.waitingBytes.addAndGet(-size);
			live(message);
		});
	}

	/** Reads from the inbox whatever the live channel may have missed. */
	void catchUp() {
		this.serial.execute(this::replayIfLive);
	}

	private void replayIfLive() {
		if (this.cursor >= 0 && !this.closed.get() && !this.holdingLive && this.pendingResume == null) {
			replay();
		}
	}

	/**
	 * The resume window passed without a frame from the client: live notifications flow.
	 */
	private void releaseLive() {
		if (this.holdingLive) {
			this.holdingLive = false;
			replayIfLive();
		}
	}

	/**
	 * Pings the client, or closes the connection when nothing came from it for two
	 * heartbeats.
	 */
	void heartbeat(long nowMs) {
		this.serial.execute(() -> {
			if (this.closed.get()) {
				return;
			}
			long silence = nowMs - this.lastHeardMs;
			if (this.connection.receives() && silence > 2 * this.context.properties().heartbeat().toMillis()) {
				close(CloseReason.HEARTBEAT_TIMEOUT);
				return;
			}
			long started = writeStarts();
			try {
				this.connection.sendHeartbeat();
			}
			catch (IOException | RuntimeException ex) {
				broken(ex, started);
			}
			finally {
				this.writeStartedNanos = 0;
			}
		});
	}

	/**
	 * Ends the session: the connection is closed with the reason's code (on its own
	 * thread, as a close may block behind a blocked write) and the session lets go of
	 * what it holds. Only the first call counts.
	 * @return completes when the connection is closed
	 */
	CompletableFuture<Void> close(CloseReason reason) {
		if (!this.closed.compareAndSet(false, true)) {
			return CompletableFuture.completedFuture(null);
		}
		this.context.metrics().closed(reason);
		this.context.executor().execute(this::release);
		return CompletableFuture.runAsync(() -> this.connection.close(reason), this.context.executor());
	}

	/** The transport reports the connection closed (by the client, the network or us). */
	@Override
	public void closed() {
		if (this.closed.compareAndSet(false, true)) {
			// A transport that gives up on a blocked write closes the connection itself.
			this.context.metrics()
				.closed(blockedTooLong(this.writeStartedNanos) ? CloseReason.SLOW_CLIENT : CloseReason.CLIENT);
		}
		release();
	}

	private void start(@Nullable Long since, boolean presenceHeld) {
		if (this.closed.get()) {
			return;
		}
		try {
			if (!presenceHeld && !this.context.presence().acquire(this.user.tenant(), this.user.userId(), this.id)) {
				close(CloseReason.TOO_MANY_CONNECTIONS);
				return;
			}
			this.context.hub()
				.register(this)
				.get(this.context.properties().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
			InboxState state = this.context.inbox().state(this.user.tenant(), this.user.userId());
			send("hello", ServerFrames.hello(this.id, this.user.userId(), state,
					this.context.properties().heartbeat().toSeconds()));
			this.cursor = state.lastSeq();
			if (since != null) {
				resume(since);
			}
			else if (this.connection.receives()) {
				this.holdingLive = true;
				this.context.scheduler()
					.schedule(() -> this.serial.execute(this::releaseLive),
							this.context.properties().resumeWindow().toMillis(), TimeUnit.MILLISECONDS);
			}
			scheduleExpiry();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close(CloseReason.SHUTDOWN);
		}
		catch (TimeoutException | java.util.concurrent.ExecutionException | RuntimeException ex) {
			logger.warn("Could not start session {} of {}/{}: {}", this.id, this.user.tenant(), this.user.userId(),
					ex.toString());
			close(StoreFailures.isStoreFailure(ex) ? CloseReason.UNAVAILABLE : CloseReason.ERROR);
		}
	}

	private void handle(ClientFrame frame) {
		if (this.closed.get()) {
			return;
		}
		this.context.metrics().frameIn(frame.type());
		if (this.holdingLive) {
			this.holdingLive = false;
			if (!(frame instanceof ClientFrame.Resume)) {
				replayIfLive();
			}
		}
		try {
			switch (frame) {
				case ClientFrame.Resume resume -> resume(resume.since());
				case ClientFrame.Ack ack ->
					this.context.receipts().acknowledge(this.user.tenant(), this.user.userId(), ack.upTo());
				case ClientFrame.Read read -> read(read.upTo());
				case ClientFrame.Ping ping -> send("pong", ServerFrames.PONG);
				case ClientFrame.Invalid invalid -> badFrame(invalid.message());
			}
		}
		catch (RuntimeException ex) {
			// Redis or Kafka failed: say so, the connection stays usable.
			logger.warn("Session {} could not handle a {} frame: {}", this.id, frame.type(), ex.toString());
			send("error", ServerFrames.error(FrameError.UNAVAILABLE,
					"The " + frame.type() + " could not be handled; retry."));
		}
	}

	private void resume(long since) {
		this.pendingResume = since;
		this.resumeTries = 0;
		this.resumes++;
		continueResume(this.resumes);
	}

	/**
	 * Replays from the pending resume's seq. When the inbox cannot be read (Redis down or
	 * slower than the command timeout, as in a reconnect storm), the session tries again
	 * after a backoff (100 ms doubling to {@link #MAX_RESUME_BACKOFF}) for as long as the
	 * connection is open, from the last seq it wrote, rather than answer an error: a
	 * client that was told to retry and did not would never get the notifications of its
	 * gap, as live ones flow only after the cursor. Live notifications wait in the inbox
	 * meanwhile, and the client's other frames are answered.
	 */
	private void continueResume(int resume) {
		Long since = this.pendingResume;
		if (since == null || resume != this.resumes || this.closed.get()) {
			return;
		}
		boolean replaying = false;
		try {
			InboxState state = this.context.inbox().state(this.user.tenant(), this.user.userId());
			if (since > state.lastSeq()) {
				reset(ResetReason.UNKNOWN_SEQ, state);
			}
			else if (state.lostHistoryAfter(since)) {
				reset(ResetReason.HISTORY_TRIMMED, state);
			}
			else {
				this.cursor = since;
				replaying = true;
				replay();
				this.context.metrics().resumed("replayed");
			}
			this.pendingResume = null;
			send("resumed", ServerFrames.resumed(this.cursor));
		}
		catch (RuntimeException ex) {
			if (!StoreFailures.isStoreFailure(ex)) {
				this.pendingResume = null;
				throw ex;
			}
			// What the replay wrote before the failure is the client's: go on after it.
			this.pendingResume = replaying ? this.cursor : since;
			long backoff = Math.min(MAX_RESUME_BACKOFF.toMillis(), 100L << Math.min(this.resumeTries, 10));
			this.resumeTries++;
			this.context.metrics().resumed("retried");
			if (this.resumeTries == 1) {
				logger.warn("Session {} could not read the inbox for its resume, retrying: {}", this.id, ex.toString());
			}
			this.context.scheduler()
				.schedule(() -> this.serial.execute(() -> continueResume(resume)), backoff, TimeUnit.MILLISECONDS);
		}
	}

	/** Writes every notification after the cursor that the inbox holds. */
	private void replay() {
		int batch = this.context.properties().replayBatch();
		while (!this.closed.get()) {
			List<NotificationFrame> frames = this.context.inbox()
				.framesSince(this.user.tenant(), this.user.userId(), this.cursor, batch);
			if (frames.isEmpty()) {
				return;
			}
			if (frames.get(0).seq() != this.cursor + 1) {
				// Trimmed between two reads: the rest of the gap is gone.
				reset(ResetReason.HISTORY_TRIMMED, this.context.inbox().state(this.user.tenant(), this.user.userId()));
				return;
			}
			for (NotificationFrame frame : frames) {
				sendNotification(frame.seq(), frame.frame());
			}
			if (frames.size() < batch) {
				return;
			}
		}
	}

	private void reset(ResetReason reason, InboxState state) {
		this.context.metrics().reset(reason);
		this.context.metrics().resumed("reset");
		send("reset", ServerFrames.reset(reason, state.oldestSeq()));
		this.cursor = state.lastSeq();
	}

	private void live(LiveMessage message) {
		if (this.closed.get() || this.cursor < 0) {
			// Not started: the start reads the inbox after registering, so nothing is
			// lost.
			return;
		}
		switch (message) {
			case LiveMessage.Notification notification -> {
				if (this.holdingLive || this.pendingResume != null) {
					// In the inbox; written when the hold ends or by the resume's replay.
					return;
				}
				if (notification.seq() == this.cursor + 1) {
					push(notification);
					if (notification.appendedAtMs() > 0) {
						this.context.metrics().liveLatency(notification.appendedAtMs(), this.context.clock().millis());
					}
				}
				else if (notification.seq() > this.cursor + 1) {
					replay();
				}
			}
			case LiveMessage.Unread unread -> send("unread", unread.frame());
			case LiveMessage.Erased erased -> {
				this.context.metrics().reset(ResetReason.INBOX_ERASED);
				send("reset", ServerFrames.reset(ResetReason.INBOX_ERASED, 1));
				this.cursor = 0;
			}
		}
	}

	/**
	 * Writes a live notification; with the append's trace context, in a span of its own
	 * ({@value #PUSH_SPAN}), the append's child.
	 */
	private void push(LiveMessage.Notification notification) {
		if (notification.traceparent() == null) {
			sendNotification(notification.seq(), notification.frame());
			return;
		}
		Span span = this.context.tracing()
			.start(PUSH_SPAN, notification.traceparent())
			.tag("herald.seq", notification.seq())
			.tag("herald.transport", this.connection.transport());
		try (Tracer.SpanInScope scope = this.context.tracing().inScope(span)) {
			sendNotification(notification.seq(), notification.frame());
			logger.debug("Session {} of {} got seq {} live", this.id, this.user.userId(), notification.seq());
		}
		finally {
			span.end();
		}
	}

	private void read(long upTo) {
		Move move = this.context.receipts().read(this.user.tenant(), this.user.userId(), upTo);
		if (!move.moved()) {
			// Nothing changed, so nothing is published: answer this device alone.
			send("unread", LiveMessage.Unread.of(move.unread(), move.readUpTo()).frame());
		}
	}

	private void badFrame(String message) {
		this.badFrames++;
		send("error", ServerFrames.error(FrameError.BAD_FRAME, message));
		if (this.badFrames > this.context.properties().maxBadFrames()) {
			close(CloseReason.BAD_FRAMES);
		}
	}

	private void sendNotification(long seq, String frame) {
		if (this.closed.get()) {
			return;
		}
		long started = writeStarts();
		try {
			this.connection.sendNotification(seq, frame);
			this.cursor = seq;
			this.context.metrics().frameOut("notification");
		}
		catch (IOException | RuntimeException ex) {
			broken(ex, started);
		}
		finally {
			this.writeStartedNanos = 0;
		}
	}

	private void send(String type, String frame) {
		if (this.closed.get()) {
			return;
		}
		long started = writeStarts();
		try {
			this.connection.send(frame);
			this.context.metrics().frameOut(type);
		}
		catch (IOException | RuntimeException ex) {
			broken(ex, started);
		}
		finally {
			this.writeStartedNanos = 0;
		}
	}

	private long writeStarts() {
		long now = System.nanoTime();
		this.writeStartedNanos = now;
		return now;
	}

	/**
	 * Whether a write that started then has blocked about as long as the send timeout
	 * allows.
	 */
	private boolean blockedTooLong(long startedNanos) {
		return startedNanos != 0
				&& System.nanoTime() - startedNanos >= this.context.properties().sendTimeout().toNanos() * 9 / 10;
	}

	/**
	 * A write failed: after blocking for the send timeout, the client is too slow; else
	 * it is gone.
	 */
	private void broken(Exception ex, long startedNanos) {
		boolean slow = blockedTooLong(startedNanos);
		logger.debug("Session {} lost its connection{}: {}", this.id, slow ? " (slow client)" : "", ex.toString());
		close(slow ? CloseReason.SLOW_CLIENT : CloseReason.CLIENT);
	}

	private void scheduleExpiry() {
		// The same instant from which the token would be refused at the upgrade: a token
		// accepted within the clock skew keeps its session until then, not just until its
		// exp.
		Instant validUntil = this.user.validUntil();
		if (validUntil == null) {
			return;
		}
		long delay = Math.max(0, Duration.between(this.context.clock().instant(), validUntil).toMillis());
		this.expiry = this.context.scheduler()
			.schedule(() -> this.serial.execute(() -> close(CloseReason.TOKEN_EXPIRED)), delay, TimeUnit.MILLISECONDS);
	}

	private void release() {
		if (!this.released.compareAndSet(false, true)) {
			return;
		}
		ScheduledFuture<?> pending = this.expiry;
		if (pending != null) {
			pending.cancel(false);
		}
		this.context.hub().unregister(this);
		this.context.sessions().remove(this);
		try {
			this.context.presence().release(this.user.tenant(), this.user.userId(), this.id);
		}
		catch (RuntimeException ex) {
			// The entry lapses on its own after a few heartbeats.
			logger.debug("Could not release the presence of session {}: {}", this.id, ex.toString());
		}
	}

}
