package io.herald.gateway.session;

import io.herald.gateway.auth.CurrentUser;
import io.herald.gateway.auth.UserPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import java.util.Map;

/**
 * {@code /v1/ws}: hands every WebSocket to a {@link Session}. The user token was verified before
 * the upgrade (a bad one is refused with {@code 401}); the handshake carries the user into the
 * WebSocket's attributes.
 */
final class WebSocketSessions extends AbstractWebSocketHandler implements HandshakeInterceptor {

	/** Tomcat's per-session limit for a blocking send (see its WebSocket how-to). */
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** How long Tomcat waits for the client's close frame before it drops the connection. */
	private static final String TOMCAT_SESSION_CLOSE_TIMEOUT = "org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT";

	private static final String SESSION = ClientSession.class.getName();

	private final Sessions sessions;

	private final SessionProperties properties;

	WebSocketSessions(Sessions sessions, SessionProperties properties) {
		this.sessions = sessions;
		this.properties = properties;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) {
		if (request instanceof ServletServerHttpRequest servlet) {
			HttpServletRequest servletRequest = servlet.getServletRequest();
			attributes.put(CurrentUser.ATTRIBUTE, CurrentUser.of(servletRequest));
			return true;
		}
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			@Nullable Exception exception) {
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession socket) {
		if (socket instanceof NativeWebSocketSession nativeSession) {
			jakarta.websocket.Session tomcat = nativeSession.getNativeSession(jakarta.websocket.Session.class);
			if (tomcat != null) {
				tomcat.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, this.properties.sendTimeout().toMillis());
				// A dead client never answers a close: don't hold its socket for Tomcat's default 30 s.
				tomcat.getUserProperties().put(TOMCAT_SESSION_CLOSE_TIMEOUT, this.properties.sendTimeout().toMillis());
			}
		}
		UserPrincipal user = (UserPrincipal) socket.getAttributes().get(CurrentUser.ATTRIBUTE);
		ClientSession session = this.sessions.open(Sessions.newSessionId(), user, new WebSocketConnection(socket),
				null, false);
		socket.getAttributes().put(SESSION, session);
	}

	@Override
	protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
		session(socket).receive(message.getPayload());
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
		session(socket).receiveUnsupported("binary");
	}

	@Override
	protected void handlePongMessage(WebSocketSession socket, PongMessage message) {
		session(socket).heard();
	}

	@Override
	public void handleTransportError(WebSocketSession socket, Throwable exception) {
		session(socket).closed();
	}

	@Override
	public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
		session(socket).closed();
	}

	private static ClientSession session(WebSocketSession socket) {
		return (ClientSession) socket.getAttributes().get(SESSION);
	}

}
