package io.herald.support.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Runs before every other filter of every request and ends the ones whose request target
 * is not canonical ({@link RequestFirewall}) with a {@code 400}
 * {@link ErrorCode#INVALID_REQUEST_TARGET} problem. Past it, the path a filter sees and
 * the path a handler is chosen by are one and the same, so no spelling of a path can
 * reach a handler around authentication or the body limit. A service declares a
 * {@link RequestFirewall} bean to relax a rule; the strict one otherwise
 * ({@link RequestFirewallAutoConfiguration}).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestFirewallFilter extends OncePerRequestFilter {

	private final RequestFirewall firewall;

	private final ProblemWriter problems;

	RequestFirewallFilter(RequestFirewall firewall, ProblemWriter problems) {
		this.firewall = firewall;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String rejection = this.firewall.rejection(request.getRequestURI(), request.getQueryString());
		if (rejection != null) {
			this.problems.write(response, ErrorCode.INVALID_REQUEST_TARGET.problem(rejection));
			return;
		}
		chain.doFilter(request, response);
	}

}
