package io.herald.gateway.system;

import io.herald.gateway.inbox.StoreFailures;
import io.herald.support.kafka.RecordsNotDurableException;
import io.herald.support.web.ApiProblemException;
import io.lettuce.core.RedisException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers every request that Redis or the broker could not serve (down, unreachable,
 * timing out) with {@code 503 service_unavailable} and {@code Retry-After}, instead of a
 * {@code 500}: the inbox, its cursors and presence all live in Redis, an
 * acknowledgement's statuses go to the broker, and a client only has to retry. Logged as
 * one WARN line without a stack trace; the failure is not the gateway's bug.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class StoreUnavailableAdvice {

	private static final Logger logger = LoggerFactory.getLogger(StoreUnavailableAdvice.class);

	@ExceptionHandler({ DataAccessException.class, RedisException.class, RecordsNotDurableException.class })
	ResponseEntity<ProblemDetail> storeUnavailable(RuntimeException ex, HttpServletRequest request) {
		logger.warn("{} could not serve {} {}: {}", (ex instanceof RecordsNotDurableException) ? "The broker" : "Redis",
				request.getMethod(), request.getRequestURI(), ex.toString());
		ApiProblemException problem = StoreFailures.unavailable();
		HttpHeaders headers = new HttpHeaders();
		headers.putAll(problem.headers());
		return ResponseEntity.status(problem.code().status())
			.headers(headers)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem.problem());
	}

}
