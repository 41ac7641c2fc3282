package io.herald.gateway.auth;

import io.herald.support.web.ApiRequestFilter;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * Authenticates every {@code /v1/} request (WebSocket upgrades included, which are refused with
 * {@code 401} before they are upgraded) by its user token: {@code Authorization: Bearer <jwt>} or,
 * for browsers, which cannot set headers on a WebSocket or an EventSource, the
 * {@code access_token} query parameter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class UserTokenFilter extends ApiRequestFilter {

	private static final String BEARER = "Bearer ";

	private final UserTokens tokens;

	private final ProblemWriter problems;

	private final MeterRegistry meters;

	UserTokenFilter(UserTokens tokens, ProblemWriter problems, MeterRegistry meters) {
		this.tokens = tokens;
		this.problems = problems;
		this.meters = meters;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String token = presentedToken(request);
		String failure;
		if (token == null) {
			failure = "Send a user token as 'Authorization: Bearer <jwt>' or the 'access_token' query parameter.";
		}
		else {
			try {
				request.setAttribute(CurrentUser.ATTRIBUTE, this.tokens.verify(token));
				chain.doFilter(request, response);
				return;
			}
			catch (InvalidTokenException ex) {
				failure = ex.getMessage();
			}
		}
		this.meters.counter("herald.gateway.auth.rejected").increment();
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"herald\", error=\"invalid_token\"");
		this.problems.write(response, ErrorCode.INVALID_TOKEN.problem(failure));
	}

	private static @Nullable String presentedToken(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			String token = authorization.substring(BEARER.length()).strip();
			return token.isEmpty() ? null : token;
		}
		String parameter = request.getParameter("access_token");
		return (parameter != null && !parameter.isBlank()) ? parameter.strip() : null;
	}

}
