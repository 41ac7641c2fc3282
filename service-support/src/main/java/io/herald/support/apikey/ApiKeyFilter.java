package io.herald.support.apikey;

import io.herald.support.web.ApiRequestFilter;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;

import java.io.IOException;

/**
 * Authenticates every {@code /v1/} request by its API key
 * ({@code Authorization: Bearer <key>} or {@code X-Api-Key: <key>}) and makes the
 * {@link ApiKey} available as the request attribute {@link #ATTRIBUTE}. A missing or
 * unknown key ends the request with {@code 401} before its body is read. A service whose
 * callers are no API clients (the gateway's users carry tokens) turns it off with
 * {@code herald.web.api-key-authentication=false} ({@link ApiKeyAutoConfiguration}).
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiKeyFilter extends ApiRequestFilter {

	/** The request attribute holding the caller's {@link ApiKey}. */
	static final String ATTRIBUTE = ApiKey.class.getName();

	private static final String BEARER = "Bearer ";

	private final ApiKeyRegistry registry;

	private final ProblemWriter problems;

	ApiKeyFilter(ApiKeyRegistry registry, ProblemWriter problems) {
		this.registry = registry;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = presentedKey(request);
		ApiKey key = (presented != null) ? this.registry.find(presented) : null;
		if (key == null) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"herald\"");
			this.problems.write(response,
					ErrorCode.UNAUTHORIZED.problem((presented == null)
							? "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
							: "The API key is not known."));
			return;
		}
		request.setAttribute(ATTRIBUTE, key);
		chain.doFilter(request, response);
	}

	private static @Nullable String presentedKey(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			String key = authorization.substring(BEARER.length()).strip();
			return key.isEmpty() ? null : key;
		}
		String header = request.getHeader("X-Api-Key");
		return (header != null && !header.isBlank()) ? header.strip() : null;
	}

}
