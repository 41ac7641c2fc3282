package io.herald.gateway.session;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A session's WebSocket, on Jetty's WebSocket core: frames as text messages, heartbeats
 * as protocol pings (the core answers the client's pings itself).
 *
 * <p>
 * It is what an idle connection costs, so it holds little: the core session, the
 * {@link ClientSession} it feeds, and a decoder only while a client's message arrives in
 * fragments. Client messages are at most the core's {@code maxTextMessageSize}; a larger
 * one closes the connection with {@code 1009}, text that is not UTF-8 with {@code 1007},
 * as RFC 6455 says. A write blocks its caller (a session's virtual thread) until the
 * frame is written or {@code sendTimeout} has passed; then it fails, and the session
 * closes the connection as slow.
 */
final class WebSocketConnection implements FrameHandler, Connection {

	private static final Logger logger = LoggerFactory.getLogger(WebSocketConnection.class);

	/** Opens the session once the WebSocket is up, and gets it back; let go of then. */
	private volatile @Nullable Function<WebSocketConnection, ClientSession> opener;

	private final long sendTimeoutMillis;

	private volatile @Nullable CoreSession socket;

	private volatile @Nullable ClientSession session;

	/**
	 * A text message whose frames are still arriving. Jetty's threads only, one at a
	 * time.
	 */
	private @Nullable Utf8StringBuilder partial;

	/**
	 * A binary message's frames are arriving: their continuations are dropped. Jetty's
	 * threads only.
	 */
	private boolean skipping;

	WebSocketConnection(Function<WebSocketConnection, ClientSession> opener, long sendTimeoutMillis) {
		this.opener = opener;
		this.sendTimeoutMillis = sendTimeoutMillis;
	}

	@Override
	public void onOpen(CoreSession coreSession, Callback callback) {
		this.socket = coreSession;
		Function<WebSocketConnection, ClientSession> opener = this.opener;
		this.opener = null;
		if (opener != null) {
			this.session = opener.apply(this);
		}
		callback.succeeded();
		coreSession.demand();
	}

	@Override
	public void onFrame(Frame frame, Callback callback) {
		CoreSession socket = this.socket;
		ClientSession session = this.session;
		if (socket == null || session == null) {
			callback.succeeded();
			return;
		}
		switch (frame.getOpCode()) {
			case OpCode.TEXT -> {
				this.skipping = false;
				if (frame.isFin()) {
					text(frame, null, callback, session);
				}
				else {
					this.partial = new Utf8StringBuilder();
					text(frame, this.partial, callback, session);
				}
			}
			case OpCode.CONTINUATION -> {
				Utf8StringBuilder message = this.partial;
				if (message == null) {
					this.skipping = this.skipping && !frame.isFin();
					callback.succeeded();
				}
				else {
					text(frame, message, callback, session);
				}
			}
			case OpCode.BINARY -> {
				this.skipping = !frame.isFin();
				session.receiveUnsupported("binary");
				callback.succeeded();
			}
			default -> {
				// Pings (answered by the core once the callback completes), pongs and
				// close frames.
				session.heard();
				callback.succeeded();
			}
		}
		socket.demand();
	}

	/**
	 * Takes a text frame: a whole message when it is its last frame, else a part of the
	 * message that {@code message} gathers.
	 */
	private void text(Frame frame, @Nullable Utf8StringBuilder message, Callback callback, ClientSession session) {
		CoreSession socket = this.socket;
		long max = (socket != null) ? socket.getMaxTextMessageSize() : 0;
		Utf8StringBuilder decoder = (message != null) ? message : new Utf8StringBuilder(frame.getPayloadLength());
		if (max > 0 && decoder.length() + frame.getPayloadLength() > max) {
			this.partial = null;
			callback.failed(new MessageTooLargeException("A client frame may be at most " + max + " bytes"));
			return;
		}
		if (frame.hasPayload()) {
			decoder.append(frame.getPayload().slice());
		}
		if (!frame.isFin()) {
			callback.succeeded();
			return;
		}
		this.partial = null;
		String text;
		try {
			text = decoder.takeCompleteString(() -> new BadPayloadException("The text is not UTF-8"));
		}
		catch (BadPayloadException ex) {
			callback.failed(ex);
			return;
		}
		session.receive(text);
		callback.succeeded();
	}

	@Override
	public void onError(Throwable cause, Callback callback) {
		logger.debug("WebSocket error: {}", cause.toString());
		callback.succeeded();
	}

	@Override
	public void onClosed(CloseStatus closeStatus, Callback callback) {
		ClientSession session = this.session;
		if (session != null) {
			session.closed();
		}
		callback.succeeded();
	}

	@Override
	public String transport() {
		return "websocket";
	}

	@Override
	public void send(String frame) throws IOException {
		write(new Frame(OpCode.TEXT, frame));
	}

	@Override
	public void sendNotification(long seq, String frame) throws IOException {
		send(frame);
	}

	@Override
	public void sendHeartbeat() throws IOException {
		write(new Frame(OpCode.PING).setPayload(ByteBuffer.allocate(0)));
	}

	@Override
	public boolean receives() {
		return true;
	}

	/** Writes a frame, blocking until it is written, at most the send timeout. */
	private void write(Frame frame) throws IOException {
		CoreSession socket = this.socket;
		if (socket == null) {
			throw new IOException("The WebSocket is not open");
		}
		FutureCallback written = new FutureCallback();
		socket.sendFrame(frame, written, false);
		await(written, "write");
	}

	/**
	 * Sends the reason's close frame and waits for it to be written, at most the send
	 * timeout; a connection whose close cannot get through (a client that stopped
	 * reading) is dropped.
	 */
	@Override
	public void close(CloseReason reason) {
		CoreSession socket = this.socket;
		if (socket == null) {
			return;
		}
		FutureCallback closed = new FutureCallback();
		socket.close(reason.code(), reason.text(), closed);
		try {
			await(closed, "close");
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Closing a WebSocket failed, dropping it: {}", ex.toString());
			socket.abort();
		}
	}

	private void await(FutureCallback done, String what) throws IOException {
		try {
			done.get(this.sendTimeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted during a WebSocket " + what, ex);
		}
		catch (TimeoutException ex) {
			throw new IOException("A WebSocket " + what + " blocked for " + this.sendTimeoutMillis + " ms", ex);
		}
		catch (ExecutionException ex) {
			throw new IOException("A WebSocket " + what + " failed", ex.getCause());
		}
	}

}
