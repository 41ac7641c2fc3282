package io.herald.gateway.session;

import java.io.IOException;

/**
 * One transport connection of a session, WebSocket or SSE. The session calls
 * {@link #send}, {@link #sendNotification} and {@link #sendHeartbeat} from one thread at
 * a time; {@link #close} may come from any thread, also while a send blocks.
 */
public interface Connection {

	/** {@code websocket} or {@code sse}, for metrics. */
	String transport();

	/** Writes one frame, blocking while the client's socket is full. */
	void send(String frame) throws IOException;

	/** Writes one {@code notification} frame; SSE also makes its seq the event id. */
	void sendNotification(long seq, String frame) throws IOException;

	/** Proves the connection alive: a WebSocket ping, an SSE comment. */
	void sendHeartbeat() throws IOException;

	/**
	 * Whether this transport tells when it last heard from the client (pongs, frames).
	 */
	boolean receives();

	/** Ends the connection; WebSocket sends the reason's close code. Never throws. */
	void close(CloseReason reason);

}
