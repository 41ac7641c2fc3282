package io.herald.loaddriver;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One user, as a client app would behave: reads every frame (Netty's WebSocket handler
 * answers the gateway's protocol pings itself), reports notifications to the
 * {@link DeliveryLedger}, sends {@code {"type":"ping"}} every {@code heartbeatSec} once
 * {@code hello} arrived (API.md section 3), and when its connection drops, connects again
 * with {@code since=n} in the URL, the highest seq it has seen (as herald-client.js
 * does), so that it misses nothing and receives nothing twice.
 *
 * <p>
 * Each connection attempt has its own {@link Connection} handler; events of a connection
 * that is no longer the current one are ignored, so a late error of a dropped socket
 * cannot disturb its successor. Netty calls one connection's handler on one event loop
 * thread, one event at a time.
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

	/**
	 * The handler of a new connection attempt, the last of its channel's pipeline, which
	 * becomes the current one.
	 */
	ChannelHandler connect() {
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
		if (!this.hello.isDone() && refusedStatus(cause) / 100 == 4) {
			// A wrong token or tenant does not get better by trying again.
			giveUp(error);
			return;
		}
		this.owner.failed(error);
		this.attempts++;
		reconnectUnlessFinished();
	}

	/**
	 * The HTTP status a refused handshake was answered with, or {@code 0} for another
	 * failure.
	 */
	static int refusedStatus(Throwable cause) {
		if (cause instanceof WebSocketClientHandshakeException refused) {
			HttpResponse response = refused.response();
			return (response != null) ? response.status().code() : 0;
		}
		return 0;
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
		connection.abort();
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
		Channel socket = connection.socket;
		if (socket == null || connection.closed) {
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<Void> sent = new CompletableFuture<>();
		socket.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "done"))
			.addListener((written) -> sent.complete(null));
		return sent;
	}

	/** Drops the connection without a close handshake, for good. */
	void abort() {
		this.finished = true;
		Connection connection = this.current;
		if (connection != null) {
			connection.abort();
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
				connection.pingEvery(every);
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

	/**
	 * One connection attempt's handler, after Netty's WebSocket handshake and frame
	 * aggregation: it sees the handshake's completion, whole frames, errors and the
	 * channel's end, each exactly once handled as the connection's end.
	 */
	private final class Connection extends ChannelInboundHandlerAdapter {

		/** The attempt's channel, from before its handshake. */
		private volatile @Nullable Channel channel;

		/** The channel once its handshake completed: frames may be sent. */
		private volatile @Nullable Channel socket;

		private volatile @Nullable ScheduledFuture<?> pings;

		/** This side ended the connection, or saw it end. */
		private volatile boolean closed;

		/**
		 * The connection's end was handled (a close frame, an error): the channel's
		 * closing then adds nothing. Only the channel's event loop reads and writes it.
		 */
		private boolean handled;

		@Override
		public void handlerAdded(ChannelHandlerContext context) {
			this.channel = context.channel();
			if (this.closed) {
				context.close();
			}
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext context, Object event) {
			if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				this.socket = context.channel();
				if (LiveUser.this.current != this || this.closed) {
					context.close();
				}
				return;
			}
			context.fireUserEventTriggered(event);
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			try {
				if (message instanceof TextWebSocketFrame text) {
					if (LiveUser.this.current == this) {
						frame(this, ServerFrame.parse(text.text()));
					}
				}
				else if (message instanceof BinaryWebSocketFrame) {
					LiveUser.this.owner.frameReceived("binary");
				}
				else if (message instanceof CloseWebSocketFrame close) {
					closeReceived(context, close.statusCode(), close.reasonText());
				}
			}
			finally {
				ReferenceCountUtil.release(message);
			}
		}

		/** The gateway closed: its code is counted, and the close is answered. */
		private void closeReceived(ChannelHandlerContext context, int statusCode, String reason) {
			this.handled = true;
			context.writeAndFlush(new CloseWebSocketFrame(statusCode, reason)).addListener(ChannelFutureListener.CLOSE);
			if (LiveUser.this.current == this) {
				LiveUser.this.owner.closedBy(Integer.toString(statusCode));
				if (!LiveUser.this.hello.isDone()) {
					end();
					LiveUser.this.current = null;
					failed(new IllegalStateException("closed with " + statusCode + " " + reason + " before hello"));
					return;
				}
			}
			ended(this);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable error) {
			context.close();
			if (!this.handled) {
				this.handled = true;
				failedWith(error);
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			if (!this.handled && !this.closed) {
				failedWith(new IOException("the connection closed without a close frame"));
			}
			this.handled = true;
			end();
		}

		private void failedWith(Throwable error) {
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

		/** Sends a ping frame every {@code seconds}, on the connection's event loop. */
		void pingEvery(long seconds) {
			Channel open = this.socket;
			if (open != null) {
				this.pings = open.eventLoop().scheduleAtFixedRate(this::ping, seconds, seconds, TimeUnit.SECONDS);
			}
		}

		/** Sends a ping frame unless earlier frames still wait to be written. */
		void ping() {
			Channel open = this.socket;
			if (open == null || this.closed || !open.isWritable()) {
				return;
			}
			open.writeAndFlush(new TextWebSocketFrame(PING));
			LiveUser.this.owner.pingSent();
		}

		/** Sends a frame after the ones sent before it. */
		void send(String frame) {
			Channel open = this.socket;
			if (open == null || this.closed) {
				return;
			}
			open.writeAndFlush(new TextWebSocketFrame(frame));
		}

		/** Closes the channel without a close handshake, as a lost network does. */
		void abort() {
			end();
			Channel open = this.channel;
			if (open != null) {
				open.close();
			}
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
