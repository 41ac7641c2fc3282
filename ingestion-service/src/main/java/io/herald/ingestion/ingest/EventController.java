package io.herald.ingestion.ingest;

import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.ingestion.ratelimit.RateLimiter;
import io.herald.ingestion.template.TemplateCatalog;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import io.herald.support.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@code POST /v1/events} and {@code POST /v1/events:batch} (API.md section 1). */
@RestController
class EventController {

	private final EventValidator validator;

	private final IngestionService ingestion;

	private final RateLimiter rateLimiter;

	private final IngestionMetrics metrics;

	private final IngestionProperties properties;

	EventController(IngestionService ingestion, RateLimiter rateLimiter, IngestionMetrics metrics,
			IngestionProperties properties, Clock clock, TemplateCatalog templates) {
		this.validator = new EventValidator(properties, clock, templates);
		this.ingestion = ingestion;
		this.rateLimiter = rateLimiter;
		this.metrics = metrics;
		this.properties = properties;
	}

	/**
	 * Requests that {@link SingleEventFilter} leaves to Spring MVC: a
	 * {@code Content-Type} or {@code Accept} header it does not take for granted, or a
	 * path spelled otherwise.
	 */
	@PostMapping(path = "/v1/events", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<EventReceipt> publish(@RequestBody byte[] body, HttpServletRequest request) {
		Answer answer = publish(CurrentApiKey.require(request, Scope.EVENTS_WRITE), body);
		return ResponseEntity.status(answer.status()).body(answer.receipt());
	}

	/**
	 * Publishes one event, the body of {@code POST /v1/events}: validated, rate limited
	 * and durably in the event log, or refused.
	 * @throws ApiProblemException when the event is refused, with the problem to answer
	 */
	Answer publish(ApiKey key, byte[] body) {
		enforceRateLimit(key, 1);
		EventDraft draft = switch (this.validator.validate(key.tenant(), RequestJson.event(body),
				this.validator.catalogView())) {
			case EventValidator.Result.Valid valid -> valid.draft();
			case EventValidator.Result.Invalid invalid -> {
				this.metrics.rejected(key.tenant(), "validation", 1);
				throw new ApiProblemException(ErrorCode.INVALID_EVENT, describe(invalid), invalid.problems(),
						HttpHeaders.EMPTY);
			}
			case EventValidator.Result.Unavailable unavailable -> {
				this.metrics.rejected(key.tenant(), "templates_unavailable", 1);
				throw templatesUnavailable(unavailable);
			}
		};
		return switch (this.ingestion.ingest(key.tenant(), draft).join()) {
			case IngestOutcome.Accepted accepted ->
				new Answer(HttpStatus.ACCEPTED, EventReceipt.accepted(accepted.eventId()));
			case IngestOutcome.Duplicate duplicate ->
				new Answer(HttpStatus.OK, EventReceipt.duplicate(duplicate.eventId()));
			case IngestOutcome.Unavailable unavailable -> throw unavailable(unavailable);
			case IngestOutcome.Rejected rejected -> throw rejected(rejected);
		};
	}

	@PostMapping(path = "/v1/events:batch", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, List<EventReceipt>>> publishBatch(@RequestBody byte[] body, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.EVENTS_WRITE);
		List<RequestJson.Entry> events;
		try {
			events = RequestJson.batch(body, this.properties.maxBatchEvents());
		}
		catch (ApiProblemException ex) {
			this.metrics.rejected(key.tenant(), "validation", 1);
			throw ex;
		}
		enforceRateLimit(key, events.size());
		long maxEventBytes = this.properties.maxEventBody().toBytes();
		EventValidator.CatalogView catalog = this.validator.catalogView();
		List<CompletableFuture<EventReceipt>> receipts = new ArrayList<>(events.size());
		try (ExecutorService claims = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < events.size(); i++) {
				RequestJson.Entry entry = events.get(i);
				if (entry.bytes() > maxEventBytes) {
					// The same limit as the body of a single event, so that no entry can
					// come near the event log's limit for one record.
					this.metrics.rejected(key.tenant(), "event_too_large", 1);
					receipts.add(CompletableFuture
						.completedFuture(EventReceipt.rejected(Problems.of(ErrorCode.PAYLOAD_TOO_LARGE,
								"The event takes " + entry.bytes() + " bytes, more than the limit of " + maxEventBytes
										+ " bytes for one event.",
								List.of(new FieldProblem("events[" + i + "]",
										"must be at most " + maxEventBytes + " bytes as JSON"))))));
					continue;
				}
				receipts.add(switch (this.validator.validate(key.tenant(), entry.event(), catalog)) {
					case EventValidator.Result.Invalid invalid -> {
						this.metrics.rejected(key.tenant(), "validation", 1);
						yield CompletableFuture.completedFuture(EventReceipt
							.rejected(Problems.of(ErrorCode.INVALID_EVENT, describe(invalid), invalid.problems())));
					}
					case EventValidator.Result.Unavailable unavailable -> {
						this.metrics.rejected(key.tenant(), "templates_unavailable", 1);
						yield CompletableFuture
							.completedFuture(EventReceipt.rejected(templatesUnavailable(unavailable).problem()));
					}
					// Only an idempotency claim blocks (on Redis, or on a concurrent
					// request with the same key); the publish itself is asynchronous
					// either way.
					case EventValidator.Result.Valid valid ->
						((valid.draft().idempotencyKey() != null)
								? CompletableFuture
									.supplyAsync(() -> this.ingestion.ingest(key.tenant(), valid.draft()), claims)
									.thenCompose((outcome) -> outcome)
								: this.ingestion.ingest(key.tenant(), valid.draft()))
							.thenApply(this::receipt);
				});
			}
		}
		List<EventReceipt> results = receipts.stream().map(CompletableFuture::join).toList();
		return ResponseEntity.status(HttpStatus.MULTI_STATUS).body(Map.of("results", results));
	}

	private void enforceRateLimit(ApiKey key, int events) {
		String detail;
		Duration retryAfter;
		switch (this.rateLimiter.tryAcquire(key, events)) {
			case RateLimiter.Decision.Allowed allowed -> {
				return;
			}
			case RateLimiter.Decision.Limited limited -> {
				detail = "The API key '" + key.name() + "' sent more events than its rate limit allows.";
				retryAfter = limited.retryAfter();
			}
			case RateLimiter.Decision.OverBurst overBurst -> {
				detail = "A request of " + events + " events exceeds the API key's burst of " + overBurst.burst()
						+ " events; send smaller batches.";
				retryAfter = overBurst.retryAfter();
			}
		}
		this.metrics.rejected(key.tenant(), "rate_limited", events);
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ceilSeconds(retryAfter))));
		throw new ApiProblemException(ErrorCode.RATE_LIMITED, detail, List.of(), headers);
	}

	private EventReceipt receipt(IngestOutcome outcome) {
		return switch (outcome) {
			case IngestOutcome.Accepted accepted -> EventReceipt.accepted(accepted.eventId());
			case IngestOutcome.Duplicate duplicate -> EventReceipt.duplicate(duplicate.eventId());
			case IngestOutcome.Unavailable unavailable -> EventReceipt.rejected(unavailable(unavailable).problem());
			case IngestOutcome.Rejected rejected -> EventReceipt.rejected(rejected(rejected).problem());
		};
	}

	private static ApiProblemException rejected(IngestOutcome.Rejected rejected) {
		ErrorCode code = switch (rejected.reason()) {
			case TOO_LARGE -> ErrorCode.PAYLOAD_TOO_LARGE;
			case REFUSED -> ErrorCode.INTERNAL;
		};
		return new ApiProblemException(code, rejected.detail());
	}

	private ApiProblemException unavailable(IngestOutcome.Unavailable unavailable) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(ceilSeconds(this.properties.unavailableRetryAfter())));
		String detail = "idempotency_store".equals(unavailable.reason())
				? "The idempotency store cannot be reached; nothing was published. Retry later."
				: "The event log did not acknowledge the event in time; nothing was accepted. Retry later.";
		return new ApiProblemException(ErrorCode.EVENT_LOG_UNAVAILABLE, detail, List.of(), headers);
	}

	private ApiProblemException templatesUnavailable(EventValidator.Result.Unavailable unavailable) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(ceilSeconds(this.properties.unavailableRetryAfter())));
		return new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE, unavailable.detail(), List.of(), headers);
	}

	private static String describe(EventValidator.Result.Invalid invalid) {
		int count = invalid.problems().size();
		String field = invalid.problems().get(0).field();
		if (count == 1) {
			return field.isEmpty() ? "The event must be a JSON object." : "The field " + field + " is invalid.";
		}
		return count + " fields are invalid.";
	}

	private static long ceilSeconds(Duration duration) {
		return (duration.toMillis() + 999) / 1000;
	}

	/** The answer to a published event: its status and receipt. */
	record Answer(HttpStatus status, EventReceipt receipt) {
	}

}
