package io.herald.loaddriver;

import org.jspecify.annotations.Nullable;

import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One user, as a client app would behave: reads every frame (the JDK answers the
 * gateway's protocol pings itself), reports notifications to the {@link DeliveryLedger},
 * sends {@code {"type":"ping"}} every {@code heartbeatSec} once {@code hello} arrived
 * (API.md section 3), and when its connection drops, connects again with {@code since=n}
 * in the URL, the highest seq it has seen (as herald-client.js does), so that it misses
 * nothing and receives nothing twice.
 *
 * <p>
 * Each connection attempt has its own {@link Connection} listener; callbacks of a
 * connection that is no longer the current one are ignored, so a late error of a dropped
 * socket cannot disturb its successor. The JDK calls one WebSocket's listener methods one
 * at a time.
 */
final class LiveUser {

	static final String PING = "{\"type\":\"ping\"}";

	private final String id;

	private final LiveUsers owner;

	private final CompletableFuture<Void> hello = new CompletableFuture<>();

	private volatile @Nullable Connection current;

	/**
	 * The highest notification seq this user has seen; {@code -1} before the first
	 * {@code hello}.
	 */
	private volatile long lastSeq = -1;

	/**
	 * Set by {@link #close()} and {@link #abort()}: the connection ends on purpose, no
	 * reconnect.
	 */
	private volatile boolean finished;

	/** Failed attempts since the last {@code hello}, for the reconnect backoff. */
	private volatile int attempts;

	/**
	 * When the connection dropped, {@link System#nanoTime()}; {@code 0} while connected.
	 */
	private volatile long droppedAt;

	LiveUser(String id, LiveUsers owner) {
		this.id = id;
		this.owner = owner;
	}

	String id() {
		return this.id;
	}

	/**
	 * Completes when the first {@code hello} arrived; fails when the first connection
	 * failed or closed first.
	 */
	CompletableFuture<Void> hello() {
		return this.hello;
	}

	/** Whether a connection is open: it was opened and neither side closed it. */
	boolean isOpen() {
		Connection connection = this.current;
		return connection != null && connection.socket != null && !connection.closed;
	}

	/** Failed attempts in a row, for the backoff of the next one. */
	int attempts() {
		return this.attempts;
	}

	/**
	 * What a connection attempt adds to the URL: after the first {@code hello}, where to
	 * resume, so that the gateway replays the gap before any live notification.
	 */
	String resumeQuery() {
		return this.hello.isDone() ? "&since=" + Math.max(0, this.lastSeq) : "";
	}

	/** A listener for a new connection attempt, which becomes the current one. */
	WebSocket.Listener connect() {
		Connection connection = new Connection();
		this.current = connection;
		return connection;
	}

	/**
	 * The attempt could not be opened, or ended before its {@code hello}: counted, and
	 * tried again after a backoff, as an app does, until {@link #giveUp} or
	 * {@link #close()}.
	 */
	void failed(Throwable error) {
		Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		if (!this.hello.isDone() && cause instanceof WebSocketHandshakeException refused
				&& refused.getResponse().statusCode() / 100 == 4) {
			// A wrong token or tenant does not get better by trying again.
			giveUp(error);
			return;
		}
		this.owner.failed(error);
		this.attempts++;
		reconnectUnlessFinished();
	}

	/** Stops trying to connect; {@link #hello()} fails if it has not completed. */
	void giveUp(Throwable error) {
		this.owner.failed(error);
		this.hello.completeExceptionally(error);
		abort();
	}

	/**
	 * Drops the connection without a close handshake, as a lost network does, and
	 * connects again at once with {@code resume}.
	 */
	void drop() {
		Connection connection = this.current;
		if (this.finished || connection == null) {
			return;
		}
		this.current = null;
		connection.end();
		WebSocket socket = connection.socket;
		if (socket != null) {
			socket.abort();
		}
		this.droppedAt = System.nanoTime();
		this.owner.reconnect(this, 0);
	}

	/**
	 * Stops pinging and starts a normal close; the gateway answers it and then drops the
	 * connection.
	 */
	CompletableFuture<?> close() {
		this.finished = true;
		Connection connection = this.current;
		if (connection == null) {
			return CompletableFuture.completedFuture(null);
		}
		connection.cancelPings();
		WebSocket socket = connection.socket;
		if (socket == null || connection.closed) {
			return CompletableFuture.completedFuture(null);
		}
		return connection.lastSend.handle((ignored, ex) -> null)
			.thenCompose((ignored) -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"))
			.exceptionally((ex) -> null);
	}

	/** Drops the connection without a close handshake, for good. */
	void abort() {
		this.finished = true;
		Connection connection = this.current;
		if (connection != null) {
			connection.end();
			WebSocket socket = connection.socket;
			if (socket != null) {
				socket.abort();
			}
		}
	}

	/** Whether the user is waiting for a reconnect to be resumed. */
	boolean resuming() {
		return this.droppedAt != 0;
	}

	private void ended(Connection connection) {
		connection.end();
		if (this.current == connection) {
			this.current = null;
			if (this.hello.isDone() && this.droppedAt == 0) {
				this.droppedAt = System.nanoTime();
			}
			reconnectUnlessFinished();
		}
	}

	private void reconnectUnlessFinished() {
		if (!this.finished && !this.hello.isCompletedExceptionally()) {
			this.owner.reconnect(this, this.attempts);
		}
	}

	private void frame(Connection connection, ServerFrame frame) {
		this.owner.frameReceived(frame.type());
		switch (frame.type()) {
			case "notification" -> {
				this.lastSeq = Math.max(this.lastSeq, frame.seq());
				this.owner.ledger().received(this.id, frame.seq(), frame.key(), System.nanoTime());
			}
			case "hello" -> {
				long every = (frame.heartbeatSec() > 0) ? frame.heartbeatSec() : LiveUsers.DEFAULT_HEARTBEAT_SEC;
				connection.pings = this.owner.scheduler()
					.scheduleAtFixedRate(connection::ping, every, every, TimeUnit.SECONDS);
				this.attempts = 0;
				if (!this.hello.isDone()) {
					this.lastSeq = frame.lastSeq();
					this.owner.ledger().hello(this.id, frame.lastSeq());
					// A first frame at once, as herald-client.js sends one: the gateway
					// then sends live notifications without waiting its resume window for
					// a resume that will not come.
					connection.send(PING);
					this.hello.complete(null);
				}
				// A reconnect resumes by its URL (resumeQuery), before any live
				// notification.
			}
			case "resumed" -> {
				long dropped = this.droppedAt;
				this.droppedAt = 0;
				if (dropped != 0) {
					this.owner.resumed(System.nanoTime() - dropped);
				}
			}
			default -> {
				// pong, unread, reset, error, ...: counted above
			}
		}
	}

	/** One connection attempt's listener. */
	private final class Connection implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		private volatile @Nullable WebSocket socket;

		private volatile @Nullable ScheduledFuture<?> pings;

		private volatile CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

		private volatile boolean closed;

		@Override
		public void onOpen(WebSocket webSocket) {
			this.socket = webSocket;
			if (LiveUser.this.current != this) {
				webSocket.abort();
				return;
			}
			webSocket.request(1);
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				if (LiveUser.this.current == this) {
					frame(this, ServerFrame.parse(this.text.toString()));
				}
				this.text.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			LiveUser.this.owner.frameReceived("binary");
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			if (LiveUser.this.current == this) {
				LiveUser.this.owner.closedBy(Integer.toString(statusCode));
				if (!LiveUser.this.hello.isDone()) {
					end();
					LiveUser.this.current = null;
					failed(new IllegalStateException("closed with " + statusCode + " " + reason + " before hello"));
					return null;
				}
			}
			ended(this);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			if (LiveUser.this.current == this) {
				LiveUser.this.owner.closedBy("error");
				if (!LiveUser.this.hello.isDone()) {
					end();
					LiveUser.this.current = null;
					failed(error);
					return;
				}
				LiveUser.this.owner.failed(error);
			}
			ended(this);
		}

		/** Sends a ping frame unless the previous frame is still being written. */
		void ping() {
			WebSocket open = this.socket;
			if (open == null || this.closed || !this.lastSend.isDone()) {
				return;
			}
			this.lastSend = open.sendText(PING, true);
			LiveUser.this.owner.pingSent();
		}

		/** Sends a frame after the previous one was written. */
		void send(String frame) {
			WebSocket open = this.socket;
			if (open == null || this.closed) {
				return;
			}
			this.lastSend = this.lastSend.handle((ignored, ex) -> null)
				.thenCompose((ignored) -> open.sendText(frame, true));
		}

		void end() {
			this.closed = true;
			cancelPings();
		}

		void cancelPings() {
			ScheduledFuture<?> scheduled = this.pings;
			if (scheduled != null) {
				scheduled.cancel(false);
			}
		}

	}

}
