package io.herald.routing.user;

import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import org.springframework.http.HttpHeaders;

import java.time.Duration;
import java.util.List;

/**
 * The {@code 503 service_unavailable} answers of the user API, each with
 * {@code Retry-After}.
 */
final class Unavailable {

	private Unavailable() {
	}

	static ApiProblemException problem(String detail, Duration retryAfter) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
		return new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE, detail, List.of(), headers);
	}

}
