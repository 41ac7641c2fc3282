package io.herald.support.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;

import java.io.IOException;

/**
 * Answers {@code 406} before a handler runs when the {@code Accept} header admits none of
 * the types the API speaks (JSON, problem details, Server-Sent Events). Without it, a
 * write endpoint would act first and fail to answer afterwards: the caller would see an
 * error for an event that was accepted. An {@code Accept} header that does not parse
 * counts as absent.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
class AcceptFilter extends ApiRequestFilter {

	private final ProblemWriter problems;

	AcceptFilter(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (AcceptHeader.admitsApiTypes(request.getHeader(HttpHeaders.ACCEPT))) {
			chain.doFilter(request, response);
			return;
		}
		this.problems.write(response, AcceptHeader.notAcceptable().problem());
	}

}
