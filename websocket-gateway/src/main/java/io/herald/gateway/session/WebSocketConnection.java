package io.herald.gateway.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import java.io.IOException;

/** A session's WebSocket: frames as text messages, heartbeats as protocol pings. */
final class WebSocketConnection implements Connection {

	private static final Logger logger = LoggerFactory.getLogger(WebSocketConnection.class);

	private final WebSocketSession socket;

	WebSocketConnection(WebSocketSession socket) {
		this.socket = socket;
	}

	@Override
	public String transport() {
		return "websocket";
	}

	@Override
	public void send(String frame) throws IOException {
		this.socket.sendMessage(new TextMessage(frame));
	}

	@Override
	public void sendNotification(long seq, String frame) throws IOException {
		send(frame);
	}

	@Override
	public void sendHeartbeat() throws IOException {
		this.socket.sendMessage(new PingMessage());
	}

	@Override
	public boolean receives() {
		return true;
	}

	@Override
	public void close(CloseReason reason) {
		try {
			this.socket.close(new CloseStatus(reason.code(), reason.text()));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Closing WebSocket {} failed: {}", this.socket.getId(), ex.toString());
		}
	}

}
