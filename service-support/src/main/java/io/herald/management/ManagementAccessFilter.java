package io.herald.management;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

import io.herald.support.web.ErrorCode;
import io.herald.support.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the actuator:
 * <ul>
 * <li>{@code GET} and {@code HEAD} of {@code health} (and its groups), {@code info} and
 * {@code prometheus} are open, for probes and scrapers;</li>
 * <li>an {@link InternalEndpoint} needs its shared token in
 * {@code X-Herald-Internal};</li>
 * <li>everything else, every write operation in particular, needs the operator token as
 * {@code Authorization: Bearer <token>}, compared by its SHA-256 in constant time:
 * {@code 401 operator_unauthorized} without one, {@code 403 operator_forbidden} with a
 * wrong one or when no operator token is configured.</li>
 * </ul>
 */
final class ManagementAccessFilter extends OncePerRequestFilter {

	private static final Set<String> OPEN_ENDPOINTS = Set.of("health", "info", "prometheus");

	private static final String BEARER = "Bearer ";

	private final byte @Nullable [] operatorTokenHash;

	private final String basePath;

	private final List<InternalEndpoint> internalEndpoints;

	private final ProblemWriter problems;

	ManagementAccessFilter(ManagementProperties properties, String basePath, List<InternalEndpoint> internalEndpoints,
			ProblemWriter problems) {
		this.operatorTokenHash = properties.operatorTokenHash();
		this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
		this.internalEndpoints = List.copyOf(internalEndpoints);
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!path.equals(this.basePath) && !path.startsWith(this.basePath + "/")) {
			chain.doFilter(request, response);
			return;
		}
		String rest = path.substring(this.basePath.length());
		String endpoint = rest.isEmpty() ? "" : rest.substring(1).split("/", 2)[0];
		boolean read = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
		if (read && OPEN_ENDPOINTS.contains(endpoint)) {
			chain.doFilter(request, response);
			return;
		}
		InternalEndpoint internal = internalEndpoint(endpoint);
		if (internal != null) {
			checkInternal(internal, request, response, chain);
			return;
		}
		checkOperator(request, response, chain);
	}

	private void checkInternal(InternalEndpoint internal, HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws ServletException, IOException {
		String presented = request.getHeader(InternalEndpoint.HEADER);
		byte[] expected = internal.tokenBytes();
		if (presented == null || presented.isBlank()) {
			this.problems.write(response, ErrorCode.OPERATOR_UNAUTHORIZED.problem(
					"This internal endpoint needs the instances' shared token in " + InternalEndpoint.HEADER + "."));
			return;
		}
		if (expected == null) {
			this.problems.write(response, ErrorCode.OPERATOR_FORBIDDEN
				.problem("This internal endpoint is off: this instance has no shared token configured."));
			return;
		}
		if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
			this.problems.write(response, ErrorCode.OPERATOR_FORBIDDEN.problem("The shared token is wrong."));
			return;
		}
		chain.doFilter(request, response);
	}

	private void checkOperator(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = bearer(request);
		if (presented == null) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"herald-management\"");
			this.problems.write(response, ErrorCode.OPERATOR_UNAUTHORIZED
				.problem("Send the operator token as 'Authorization: Bearer <token>'."));
			return;
		}
		if (this.operatorTokenHash == null) {
			this.problems.write(response, ErrorCode.OPERATOR_FORBIDDEN.problem("No operator token is configured "
					+ "(herald.management.operator-token-sha256): operator actions are refused."));
			return;
		}
		if (!MessageDigest.isEqual(this.operatorTokenHash, sha256(presented))) {
			this.problems.write(response, ErrorCode.OPERATOR_FORBIDDEN.problem("The operator token is wrong."));
			return;
		}
		chain.doFilter(request, response);
	}

	private @Nullable InternalEndpoint internalEndpoint(String id) {
		for (InternalEndpoint endpoint : this.internalEndpoints) {
			if (endpoint.id().equals(id)) {
				return endpoint;
			}
		}
		return null;
	}

	private static @Nullable String bearer(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return null;
		}
		String token = authorization.substring(BEARER.length()).strip();
		return token.isEmpty() ? null : token;
	}

	private static byte[] sha256(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM supports SHA-256", ex);
		}
	}

}
