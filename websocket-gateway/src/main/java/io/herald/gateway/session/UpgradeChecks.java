package io.herald.gateway.session;

import io.herald.support.web.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.util.WebUtils;

import java.util.List;
import java.util.Set;

/**
 * What the WebSocket handshake refuses, checked before the connection is counted against its
 * user's limit, so that a refused upgrade never holds one of the user's connections: a request
 * that is not a WebSocket upgrade of version 13 ({@code 400 invalid_request}, with
 * {@code Sec-WebSocket-Version: 13} for another version), not a {@code GET}
 * ({@code 405 method_not_allowed}), or from an origin that is not allowed
 * ({@code 403 origin_not_allowed}). The same rules as Spring's handshake handler and origin check,
 * which run after them and so never refuse; the refusals are problem details of the catalogue.
 */
final class UpgradeChecks {

	/** The version of the WebSocket protocol (RFC 6455), the only one Tomcat speaks. */
	static final String VERSION = "13";

	private final CorsConfiguration origins = new CorsConfiguration();

	UpgradeChecks(List<String> allowedOrigins) {
		this.origins.setAllowedOriginPatterns(allowedOrigins);
	}

	/**
	 * Checks an upgrade request; headers the refusal needs are set on the response.
	 * @return the refusal, {@code null} when the handshake may go on
	 */
	@Nullable ProblemDetail refusal(ServerHttpRequest request, ServerHttpResponse response) {
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders(request.getHeaders());
		if (!HttpMethod.GET.equals(request.getMethod())) {
			response.getHeaders().setAllow(Set.of(HttpMethod.GET));
			return ErrorCode.METHOD_NOT_ALLOWED.problem("A WebSocket is opened with GET.");
		}
		if (!"websocket".equalsIgnoreCase(headers.getUpgrade())) {
			return notAnUpgrade("'Upgrade: websocket'");
		}
		List<String> connection = headers.getConnection();
		if (!connection.contains("Upgrade") && !connection.contains("upgrade")) {
			return notAnUpgrade("'Connection: Upgrade'");
		}
		if (headers.getSecWebSocketKey() == null) {
			return notAnUpgrade("a 'Sec-WebSocket-Key'");
		}
		if (!VERSION.equals(headers.getSecWebSocketVersion())) {
			response.getHeaders().set(WebSocketHttpHeaders.SEC_WEBSOCKET_VERSION, VERSION);
			return ErrorCode.INVALID_REQUEST.problem("Only version " + VERSION + " of the WebSocket protocol is spoken.");
		}
		if (!WebUtils.isSameOrigin(request) && this.origins.checkOrigin(request.getHeaders().getOrigin()) == null) {
			return ErrorCode.ORIGIN_NOT_ALLOWED.problem("WebSockets from this origin are not allowed.");
		}
		return null;
	}

	private static ProblemDetail notAnUpgrade(String missing) {
		return ErrorCode.INVALID_REQUEST.problem("Not a WebSocket upgrade: " + missing + " is missing.");
	}

}
