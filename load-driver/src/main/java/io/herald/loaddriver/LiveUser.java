package io.herald.loaddriver;

import org.jspecify.annotations.Nullable;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One user's WebSocket: reads every frame (the JDK answers the gateway's protocol pings itself),
 * reports notifications to the {@link DeliveryLedger}, and once {@code hello} arrives sends
 * {@code {"type":"ping"}} every {@code heartbeatSec}, as API.md section 3 asks of clients. The
 * JDK calls one WebSocket's listener methods one at a time, so the fields need no lock.
 */
final class LiveUser implements WebSocket.Listener {

	static final String PING = "{\"type\":\"ping\"}";

	private final String id;

	private final LiveUsers owner;

	private final CompletableFuture<Void> hello = new CompletableFuture<>();

	private final StringBuilder text = new StringBuilder();

	private volatile @Nullable WebSocket socket;

	private volatile @Nullable ScheduledFuture<?> pings;

	private volatile CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

	private volatile boolean closed;

	LiveUser(String id, LiveUsers owner) {
		this.id = id;
		this.owner = owner;
	}

	String id() {
		return this.id;
	}

	/** Completes when {@code hello} arrived; fails when the connection failed or closed first. */
	CompletableFuture<Void> hello() {
		return this.hello;
	}

	/** Whether the connection is open: it was opened and neither side closed it. */
	boolean isOpen() {
		return this.socket != null && !this.closed;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.socket = webSocket;
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.text.append(data);
		if (last) {
			frame(ServerFrame.parse(this.text.toString()));
			this.text.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		this.owner.frameReceived("binary");
		webSocket.request(1);
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		ended();
		this.owner.closedBy(Integer.toString(statusCode));
		if (!this.hello.isDone()) {
			failed(new IllegalStateException("closed with " + statusCode + " " + reason + " before hello"));
		}
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		ended();
		this.owner.closedBy("error");
		this.owner.failed(error);
		this.hello.completeExceptionally(error);
	}

	/** The connection could not be opened. */
	void failed(Throwable error) {
		ended();
		this.owner.failed(error);
		this.hello.completeExceptionally(error);
	}

	/** Sends a ping frame unless the previous frame is still being written. */
	void ping() {
		WebSocket current = this.socket;
		if (current == null || this.closed || !this.lastSend.isDone()) {
			return;
		}
		this.lastSend = current.sendText(PING, true);
		this.owner.pingSent();
	}

	/** Stops pinging and starts a normal close; the gateway answers it and then drops the connection. */
	CompletableFuture<?> close() {
		cancelPings();
		WebSocket current = this.socket;
		if (current == null || this.closed) {
			return CompletableFuture.completedFuture(null);
		}
		return this.lastSend.handle((ignored, ex) -> null)
			.thenCompose((ignored) -> current.sendClose(WebSocket.NORMAL_CLOSURE, "done"))
			.exceptionally((ex) -> null);
	}

	/** Drops the connection without a close handshake. */
	void abort() {
		cancelPings();
		WebSocket current = this.socket;
		if (current != null) {
			current.abort();
		}
	}

	private void frame(ServerFrame frame) {
		this.owner.frameReceived(frame.type());
		switch (frame.type()) {
			case "notification" -> this.owner.ledger().received(this.id, frame.seq(), frame.key(), System.nanoTime());
			case "hello" -> {
				this.owner.ledger().hello(this.id, frame.lastSeq());
				long every = (frame.heartbeatSec() > 0) ? frame.heartbeatSec() : LiveUsers.DEFAULT_HEARTBEAT_SEC;
				this.pings = this.owner.scheduler().scheduleAtFixedRate(this::ping, every, every, TimeUnit.SECONDS);
				this.hello.complete(null);
			}
			default -> {
				// pong, unread, error, ...: counted above
			}
		}
	}

	private void ended() {
		this.closed = true;
		cancelPings();
	}

	private void cancelPings() {
		ScheduledFuture<?> scheduled = this.pings;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

}
