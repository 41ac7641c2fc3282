package io.herald.ingestion.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.events.Identifiers;
import io.herald.ingestion.ingest.IngestionProperties;
import io.herald.ingestion.status.StatusLists.EventSummary;
import io.herald.ingestion.status.StatusLists.Page;
import io.herald.ingestion.status.StatusLists.Position;
import io.herald.ingestion.status.StatusLists.UserDelivery;
import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import io.lettuce.core.RedisException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /v1/events/{eventId}}, and the lists {@code GET /v1/events} (the tenant's
 * events in a time range) and {@code GET /v1/users/{userId}/deliveries} (a user's recent
 * deliveries), all with the scope {@code EVENTS_READ} and only ever of the key's tenant.
 * An event of another tenant is as unknown as one that never existed: both are
 * {@code 404}, so ids reveal nothing across tenants; a user of another tenant is another
 * user. A query parameter out of shape is {@code 400
 * invalid_request} naming it; other query parameters are ignored, as on every endpoint.
 * When the status store (Redis) cannot be reached the answer is {@code 503} with
 * {@code Retry-After}.
 */
@RestController
class StatusController {

	/**
	 * The widest time range {@code GET /v1/events} lists: more is more pages than one
	 * walk needs.
	 */
	static final Duration MAX_RANGE = Duration.ofDays(31);

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 100;

	/**
	 * The longest time parameter read; RFC 3339 with nanoseconds and an offset takes 35.
	 */
	private static final int MAX_TIME_LENGTH = 64;

	private static final Logger logger = LoggerFactory.getLogger(StatusController.class);

	private final StatusStore store;

	private final StatusLists lists;

	private final IngestionProperties properties;

	StatusController(StatusStore store, StatusLists lists, IngestionProperties properties) {
		this.store = store;
		this.lists = lists;
		this.properties = properties;
	}

	@GetMapping("/v1/events/{eventId}")
	EventStatus status(@PathVariable String eventId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.EVENTS_READ);
		EventStatus status = available(() -> (eventId.length() <= 100) ? this.store.find(key.tenant(), eventId) : null);
		if (status == null) {
			throw new ApiProblemException(ErrorCode.NOT_FOUND, "No event '" + abbreviate(eventId) + "'.");
		}
		return status;
	}

	/**
	 * {@code GET /v1/events?from=&to=&limit=&cursor=}: the tenant's events accepted in
	 * {@code [from, to)}.
	 */
	@GetMapping("/v1/events")
	EventList events(HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.EVENTS_READ);
		List<FieldProblem> problems = new ArrayList<>();
		Instant from = instant(request, "from", problems);
		Instant to = instant(request, "to", problems);
		int limit = limit(request, problems);
		if (from != null && to != null) {
			if (from.isAfter(to)) {
				problems.add(new FieldProblem("to", "must not be before 'from'"));
			}
			else if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
				problems.add(new FieldProblem("to", "must be at most " + MAX_RANGE.toDays()
						+ " days after 'from'; list a wider range in several requests"));
			}
		}
		reject(problems);
		String scope = key.tenant() + "|events|" + from.toEpochMilli() + "|" + to.toEpochMilli();
		Position after = cursor(request, scope);
		Page<EventSummary> page = available(() -> this.lists.events(key.tenant(), from, to, limit, after));
		return new EventList(page.items(), nextCursor(scope, page));
	}

	/**
	 * {@code GET /v1/users/{userId}/deliveries?limit=&cursor=}: the user's recent
	 * deliveries.
	 */
	@GetMapping("/v1/users/{userId}/deliveries")
	UserDeliveryList deliveries(@PathVariable String userId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.EVENTS_READ);
		List<FieldProblem> problems = new ArrayList<>();
		if (!Identifiers.matches(Identifiers.USER_ID, userId)) {
			problems.add(new FieldProblem("userId", "must be a user id matching [A-Za-z0-9._:@+-]{1,128}"));
		}
		int limit = limit(request, problems);
		reject(problems);
		String scope = key.tenant() + "|deliveries|" + userId;
		Position after = cursor(request, scope);
		Page<UserDelivery> page = available(() -> this.lists.deliveries(key.tenant(), userId, limit, after));
		return new UserDeliveryList(userId, page.items(), nextCursor(scope, page));
	}

	private <T> T available(Supplier<T> read) {
		try {
			return read.get();
		}
		catch (DataAccessException | RedisException ex) {
			logger.warn("Status store unavailable: {}", ex.toString());
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.RETRY_AFTER,
					Long.toString(Math.max(1, this.properties.unavailableRetryAfter().toSeconds())));
			throw new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE,
					"The status store cannot be reached; retry later.", List.of(), headers);
		}
	}

	private static @Nullable Instant instant(HttpServletRequest request, String name, List<FieldProblem> problems) {
		String value = request.getParameter(name);
		if (value == null || value.isEmpty()) {
			problems.add(new FieldProblem(name, "is required: an RFC 3339 time such as 2026-11-22T18:00:00Z"));
			return null;
		}
		if (value.length() <= MAX_TIME_LENGTH) {
			try {
				return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
			}
			catch (DateTimeParseException ex) {
				// answered below
			}
		}
		problems.add(new FieldProblem(name, "must be an RFC 3339 time with an offset, such as 2026-11-22T18:00:00Z"));
		return null;
	}

	private static int limit(HttpServletRequest request, List<FieldProblem> problems) {
		String value = request.getParameter("limit");
		if (value == null) {
			return DEFAULT_LIMIT;
		}
		if (value.length() <= 3 && value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
			int limit = Integer.parseInt(value);
			if (limit >= 1 && limit <= MAX_LIMIT) {
				return limit;
			}
		}
		problems.add(new FieldProblem("limit", "must be an integer from 1 to " + MAX_LIMIT));
		return DEFAULT_LIMIT;
	}

	private static @Nullable Position cursor(HttpServletRequest request, String scope) {
		String value = request.getParameter("cursor");
		if (value == null) {
			return null;
		}
		Position position = ListCursor.decode(scope, value);
		if (position == null) {
			reject(List.of(new FieldProblem("cursor",
					"is not a cursor of this list and query: pass the nextCursor of the previous page unchanged, with the same parameters, or start again without one")));
		}
		return position;
	}

	private static @Nullable String nextCursor(String scope, Page<?> page) {
		return (page.next() != null) ? ListCursor.encode(scope, page.next()) : null;
	}

	private static void reject(List<FieldProblem> problems) {
		if (!problems.isEmpty()) {
			String detail = (problems.size() == 1)
					? "'" + problems.get(0).field() + "' " + problems.get(0).message() + "."
					: problems.size() + " parameters are invalid.";
			throw new ApiProblemException(ErrorCode.INVALID_REQUEST, detail, problems, HttpHeaders.EMPTY);
		}
	}

	private static String abbreviate(String id) {
		return (id.length() <= 100) ? id : id.substring(0, 100) + "...";
	}

	/**
	 * The body of {@code GET /v1/events}.
	 *
	 * @param nextCursor the {@code cursor} of the next (older) page; left out on the last
	 * page
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record EventList(List<EventSummary> events, @Nullable String nextCursor) {
	}

	/**
	 * The body of {@code GET /v1/users/{userId}/deliveries}.
	 *
	 * @param nextCursor the {@code cursor} of the next (older) page; left out on the last
	 * page
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record UserDeliveryList(String userId, List<UserDelivery> deliveries, @Nullable String nextCursor) {
	}

}
