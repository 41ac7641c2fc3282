package io.herald.gateway.session;

import io.herald.gateway.auth.CurrentUser;
import io.herald.gateway.auth.UserPrincipal;
import io.herald.gateway.inbox.StoreFailures;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import java.io.IOException;
import java.util.Map;

/**
 * {@code /v1/ws}: hands every WebSocket to a {@link Session}. The user token was verified before
 * the upgrade (a bad one is refused with {@code 401}); the handshake checks the upgrade itself
 * ({@link UpgradeChecks}), then counts the connection and carries the user into the WebSocket's
 * attributes.
 */
final class WebSocketSessions extends AbstractWebSocketHandler implements HandshakeInterceptor {

	/** Tomcat's per-session limit for a blocking send (see its WebSocket how-to). */
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** How long Tomcat waits for the client's close frame before it drops the connection. */
	private static final String TOMCAT_SESSION_CLOSE_TIMEOUT = "org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT";

	private static final String SESSION = ClientSession.class.getName();

	/** The id under which the connection was counted against its user's limit at the handshake. */
	private static final String SESSION_ID = SESSION + ".id";

	private static final Logger logger = LoggerFactory.getLogger(WebSocketSessions.class);

	private final Sessions sessions;

	private final SessionProperties properties;

	private final ProblemWriter problems;

	private final UpgradeChecks checks;

	WebSocketSessions(Sessions sessions, SessionProperties properties, ProblemWriter problems) {
		this.sessions = sessions;
		this.properties = properties;
		this.problems = problems;
		this.checks = new UpgradeChecks(properties.allowedOrigins());
	}

	/**
	 * Refuses what the handshake would refuse, then carries the user into the WebSocket and counts
	 * the connection against the user's limit before the upgrade, which thus needs Redis: while
	 * Redis cannot be reached the upgrade is refused with a {@code 503} problem and
	 * {@code Retry-After}. Nothing refuses the upgrade after the count, so no refused upgrade holds
	 * one of the user's connections.
	 */
	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) throws IOException {
		ProblemDetail refusal = this.checks.refusal(request, response);
		if (refusal != null) {
			this.problems.write(response, refusal);
			return false;
		}
		if (request instanceof ServletServerHttpRequest servlet) {
			HttpServletRequest servletRequest = servlet.getServletRequest();
			UserPrincipal user = CurrentUser.of(servletRequest);
			attributes.put(CurrentUser.ATTRIBUTE, user);
			String sessionId;
			try {
				sessionId = this.sessions.admit(user);
			}
			catch (RuntimeException ex) {
				if (!StoreFailures.isStoreFailure(ex) || !(response instanceof ServletServerHttpResponse servletResponse)) {
					throw ex;
				}
				logger.warn("Refusing a WebSocket of {}/{}, Redis cannot be reached: {}", user.tenant(), user.userId(),
						ex.toString());
				ApiProblemException problem = StoreFailures.unavailable();
				HttpServletResponse raw = servletResponse.getServletResponse();
				problem.headers().forEach((name, values) -> values.forEach((value) -> raw.addHeader(name, value)));
				this.problems.write(raw, problem.problem());
				return false;
			}
			if (sessionId != null) {
				attributes.put(SESSION_ID, sessionId);
			}
			// Over the limit: upgraded all the same, to be closed with 4429 as API.md says.
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
		String admitted = (String) socket.getAttributes().get(SESSION_ID);
		ClientSession session = this.sessions.open((admitted != null) ? admitted : this.sessions.newSessionId(), user,
				new WebSocketConnection(socket), null, admitted != null);
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
