package io.herald.ingestion.status;

import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/events/{eventId}}. An event of another tenant is as unknown as one that never
 * existed: both are {@code 404}, so ids reveal nothing across tenants.
 */
@RestController
class StatusController {

	private final StatusStore store;

	StatusController(StatusStore store) {
		this.store = store;
	}

	@GetMapping("/v1/events/{eventId}")
	EventStatus status(@PathVariable String eventId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.EVENTS_READ);
		EventStatus status = (eventId.length() <= 100) ? this.store.find(key.tenant(), eventId) : null;
		if (status == null) {
			throw new ApiProblemException(ErrorCode.NOT_FOUND, "No event '" + abbreviate(eventId) + "'.");
		}
		return status;
	}

	private static String abbreviate(String id) {
		return (id.length() <= 100) ? id : id.substring(0, 100) + "...";
	}

}
