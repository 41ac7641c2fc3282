package io.herald.support.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts API requests in progress ({@code herald.http.requests.inflight}). */
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class InFlightRequestsFilter extends ApiRequestFilter {

	private final AtomicInteger inFlight = new AtomicInteger();

	InFlightRequestsFilter(MeterRegistry registry) {
		Gauge.builder("herald.http.requests.inflight", this.inFlight, AtomicInteger::get)
			.description("API requests in progress")
			.register(registry);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		this.inFlight.incrementAndGet();
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.inFlight.decrementAndGet();
		}
	}

}
