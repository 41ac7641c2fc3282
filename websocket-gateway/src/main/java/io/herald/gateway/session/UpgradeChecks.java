package io.herald.gateway.session;

import io.herald.support.web.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ProblemDetail;
import org.springframework.web.cors.CorsConfiguration;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the WebSocket handshake refuses, checked before the connection is counted against
 * its user's limit, so that a refused upgrade never holds one of the user's connections:
 * a request that is not a {@code GET} ({@code 405 method_not_allowed}), not a WebSocket
 * upgrade of version 13 ({@code 400 invalid_request}, with
 * {@code Sec-WebSocket-Version: 13} for another version), or from an origin that is
 * neither the gateway's own nor allowed ({@code 403 origin_not_allowed}).
 */
final class UpgradeChecks {

	/** The version of the WebSocket protocol (RFC 6455), the only one spoken. */
	static final String VERSION = "13";

	private final CorsConfiguration origins = new CorsConfiguration();

	UpgradeChecks(List<String> allowedOrigins) {
		this.origins.setAllowedOriginPatterns(allowedOrigins);
	}

	/** A refused upgrade: the problem, and the headers its answer carries. */
	record Refusal(ProblemDetail problem, HttpHeaders headers) {
	}

	/**
	 * Checks an upgrade request.
	 * @param method the request's method
	 * @param headers the request's headers
	 * @param target the request's URI as the client addressed it (scheme, host and port),
	 * for telling a page of the gateway's own origin
	 * @return the refusal, {@code null} when the handshake may go on
	 */
	@Nullable Refusal refusal(String method, HttpHeaders headers, URI target) {
		if (!HttpMethod.GET.matches(method)) {
			HttpHeaders allow = new HttpHeaders();
			allow.setAllow(Set.of(HttpMethod.GET));
			return new Refusal(ErrorCode.METHOD_NOT_ALLOWED.problem("A WebSocket is opened with GET."), allow);
		}
		if (!"websocket".equalsIgnoreCase(headers.getUpgrade())) {
			return notAnUpgrade("'Upgrade: websocket'");
		}
		if (!hasToken(headers.getConnection(), "upgrade")) {
			return notAnUpgrade("'Connection: Upgrade'");
		}
		if (headers.getFirst("Sec-WebSocket-Key") == null) {
			return notAnUpgrade("a 'Sec-WebSocket-Key'");
		}
		if (!VERSION.equals(headers.getFirst("Sec-WebSocket-Version"))) {
			HttpHeaders version = new HttpHeaders();
			version.set("Sec-WebSocket-Version", VERSION);
			return new Refusal(ErrorCode.INVALID_REQUEST
				.problem("Only version " + VERSION + " of the WebSocket protocol is spoken."), version);
		}
		String origin = headers.getOrigin();
		if (origin != null && !sameOrigin(origin, target) && this.origins.checkOrigin(origin) == null) {
			return new Refusal(ErrorCode.ORIGIN_NOT_ALLOWED.problem("WebSockets from this origin are not allowed."),
					HttpHeaders.EMPTY);
		}
		return null;
	}

	private static boolean hasToken(List<String> values, String token) {
		for (String value : values) {
			if (value.strip().equalsIgnoreCase(token)) {
				return true;
			}
		}
		return false;
	}

	/** Whether the origin is the gateway's own, as the client addressed it. */
	static boolean sameOrigin(String origin, URI target) {
		URI parsed;
		try {
			parsed = URI.create(origin);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		String scheme = parsed.getScheme();
		String host = parsed.getHost();
		if (scheme == null || host == null || target.getHost() == null) {
			return false;
		}
		String targetScheme = webScheme(target.getScheme());
		return scheme.toLowerCase(Locale.ROOT).equals(targetScheme) && host.equalsIgnoreCase(target.getHost())
				&& port(parsed.getPort(), scheme) == port(target.getPort(), targetScheme);
	}

	/**
	 * The page's scheme for a WebSocket's ({@code ws} is opened from {@code http} pages).
	 */
	private static String webScheme(@Nullable String scheme) {
		String lower = (scheme != null) ? scheme.toLowerCase(Locale.ROOT) : "http";
		return switch (lower) {
			case "ws" -> "http";
			case "wss" -> "https";
			default -> lower;
		};
	}

	private static int port(int port, String scheme) {
		if (port != -1) {
			return port;
		}
		return "https".equalsIgnoreCase(scheme) ? 443 : 80;
	}

	private static Refusal notAnUpgrade(String missing) {
		return new Refusal(ErrorCode.INVALID_REQUEST.problem("Not a WebSocket upgrade: " + missing + " is missing."),
				HttpHeaders.EMPTY);
	}

}
