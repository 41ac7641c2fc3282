package io.herald.gateway.auth;

import io.herald.support.web.ApiRequestFilter;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * Authenticates every {@code /v1/} request of the servlet stack by its user token
 * ({@link UserTokens#authenticate}); WebSocket upgrades are authenticated the same way
 * before they reach it ({@code session.WebSocketUpgrades}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class UserTokenFilter extends ApiRequestFilter {

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
		UserPrincipal user;
		try {
			user = this.tokens.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION),
					request.getParameter("access_token"));
		}
		catch (InvalidTokenException ex) {
			this.meters.counter("herald.gateway.auth.rejected").increment();
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, UserTokens.CHALLENGE);
			this.problems.write(response, ErrorCode.INVALID_TOKEN.problem(ex.getMessage()));
			return;
		}
		request.setAttribute(CurrentUser.ATTRIBUTE, user);
		chain.doFilter(request, response);
	}

}
