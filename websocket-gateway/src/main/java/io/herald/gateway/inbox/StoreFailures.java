package io.herald.gateway.inbox;

import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.lettuce.core.RedisException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * How the gateway tells a failure of its store (Redis down, unreachable or timing out)
 * from a bug, and how it answers one: {@code 503 service_unavailable} with
 * {@code Retry-After} over HTTP, close code {@code 1013} on a WebSocket.
 */
public final class StoreFailures {

	/**
	 * What a client is told to wait before it retries; Lettuce reconnects within seconds.
	 */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private StoreFailures() {
	}

	/** Whether the failure, or one of its causes, is Redis failing rather than a bug. */
	public static boolean isStoreFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessException || cause instanceof RedisException
					|| cause instanceof TimeoutException || cause instanceof ExecutionException) {
				return true;
			}
		}
		return false;
	}

	/** The {@code 503} problem a request that Redis could not serve is answered with. */
	public static ApiProblemException unavailable() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()));
		return new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE,
				"The inbox store cannot be reached right now; nothing was changed. Retry later.", List.of(), headers);
	}

}
