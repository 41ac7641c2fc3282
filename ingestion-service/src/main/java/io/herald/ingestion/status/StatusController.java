package io.herald.ingestion.status;

import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.ingestion.ingest.IngestionProperties;
import io.lettuce.core.RedisException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code GET /v1/events/{eventId}}. An event of another tenant is as unknown as one that never
 * existed: both are {@code 404}, so ids reveal nothing across tenants. When the status store
 * (Redis) cannot be reached the answer is {@code 503} with {@code Retry-After}.
 */
@RestController
class StatusController {

	private static final Logger logger = LoggerFactory.getLogger(StatusController.class);

	private final StatusStore store;

	private final IngestionProperties properties;

	StatusController(StatusStore store, IngestionProperties properties) {
		this.store = store;
		this.properties = properties;
	}

	@GetMapping("/v1/events/{eventId}")
	EventStatus status(@PathVariable String eventId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.EVENTS_READ);
		EventStatus status;
		try {
			status = (eventId.length() <= 100) ? this.store.find(key.tenant(), eventId) : null;
		}
		catch (DataAccessException | RedisException ex) {
			logger.warn("Status store unavailable: {}", ex.toString());
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.RETRY_AFTER,
					Long.toString(Math.max(1, this.properties.unavailableRetryAfter().toSeconds())));
			throw new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE,
					"The status store cannot be reached; retry later.", List.of(), headers);
		}
		if (status == null) {
			throw new ApiProblemException(ErrorCode.NOT_FOUND, "No event '" + abbreviate(eventId) + "'.");
		}
		return status;
	}

	private static String abbreviate(String id) {
		return (id.length() <= 100) ? id : id.substring(0, 100) + "...";
	}

}
