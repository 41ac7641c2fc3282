package io.herald.ingestion.status;

import io.herald.events.EventAccepted;
import io.herald.events.EventCancelled;
import io.herald.events.HeaderNames;
import io.herald.ingestion.ingest.IngestionProperties;
import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.tracing.RecordTracing;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import io.lettuce.core.RedisException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code DELETE /v1/events/{eventId}} (docs/adr/029), with the scope
 * {@code EVENTS_WRITE}: cancels what of the event has not gone out and retracts its
 * in-app notifications. The event must be one the status view knows for the key's tenant;
 * any other id is {@code 404}, so ids reveal nothing across tenants, and an id no event
 * can have is {@code 400 invalid_request}.
 *
 * <p>
 * The answer is {@code 202} once an {@link EventCancelled} is durably on the event's own
 * log under the event's own key ({@code acks=all}), so it follows the event in its
 * partition, and the status view has {@code cancelledAt}; the event is then also marked
 * cancelled in Redis ({@link EventCancelled#redisKey}) for delivery, which checks the
 * mark before every send. The cancellation carries the event's recipients, priority and
 * channels, read back from the log ({@link EventLogReader}), so that routing retracts its
 * in-app notifications; an event no longer in its log is cancelled without them: nothing
 * of it is retracted. Cancelling again is {@code 202} too, with the first
 * {@code cancelledAt}, and writes nothing more. Concurrent requests for one event append
 * one cancellation and answer one {@code cancelledAt}, the first request's: the status
 * store lets one of them at a time append it ({@link StatusStore#claimCancellation}), and
 * the others wait for it. When the log cannot be read or does not acknowledge in time the
 * answer is {@code 503 event_log_unavailable} with {@code Retry-After}, and retrying is
 * safe: every stage applies a cancellation idempotently, and a retry cancels with the
 * same time.
 */
@RestController
class EventCancellations {

	/**
	 * The ids an event may have: what ingestion gives (UUIDs) fits, and nothing that
	 * breaks a key.
	 */
	static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

	private static final String CLOUD_EVENT_SOURCE = "/herald/ingestion";

	/**
	 * How often a request asks again while another request appends the event's
	 * cancellation.
	 */
	private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

	/**
	 * The margin of a cancellation claim's lease over the longest a request may take to
	 * append it.
	 */
	private static final Duration LEASE_MARGIN = Duration.ofSeconds(2);

	private static final Logger logger = LoggerFactory.getLogger(EventCancellations.class);

	private final StatusStore store;

	private final KafkaTemplate<String, byte[]> kafka;

	private final RecordTracing tracing;

	private final IngestionProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final StatusProperties statusProperties;

	private final EventLogReader events;

	EventCancellations(StatusStore store, EventLogReader events, KafkaTemplate<String, byte[]> kafka,
			RecordTracing tracing, IngestionProperties properties, StatusProperties statusProperties, Clock clock,
			MeterRegistry meters) {
		this.events = events;
		this.statusProperties = statusProperties;
		this.store = store;
		this.kafka = kafka;
		this.tracing = tracing;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
	}

	@DeleteMapping("/v1/events/{eventId}")
	ResponseEntity<CancellationReceipt> cancel(@PathVariable String eventId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.EVENTS_WRITE);
		if (!EVENT_ID.matcher(eventId).matches()) {
			count("invalid");
			throw new ApiProblemException(ErrorCode.INVALID_REQUEST, "'eventId' is not an event id.",
					List.of(new FieldProblem("eventId", "must be an event id as POST /v1/events answered it")),
					HttpHeaders.EMPTY);
		}
		StatusStore.StoredEvent stored = available(() -> this.store.locate(key.tenant(), eventId));
		if (stored == null) {
			count("not_found");
			throw new ApiProblemException(ErrorCode.NOT_FOUND, "No event '" + eventId + "'.");
		}
		if (stored.cancelledAt() != null) {
			count("again");
			return accepted(eventId, stored.cancelledAt());
		}
		Instant at;
		switch (claim(key.tenant(), eventId)) {
			case StatusStore.CancelClaim.Gone gone -> {
				count("not_found");
				throw new ApiProblemException(ErrorCode.NOT_FOUND, "No event '" + eventId + "'.");
			}
			case StatusStore.CancelClaim.Done done -> {
				count("again");
				return accepted(eventId, done.cancelledAt());
			}
			case StatusStore.CancelClaim.Claimed claimed -> at = claimed.cancelledAt();
			case StatusStore.CancelClaim.Pending pending ->
				throw new IllegalStateException("claim() waits out a pending claim");
		}
		String cancelledAt;
		try {
			EventCancelled cancellation = cancellation(key.tenant(), eventId, stored, at);
			publish(stored, cancellation);
			cancelledAt = available(() -> this.store.cancelled(cancellation, this.statusProperties.cancellationMark()));
		}
		catch (RuntimeException ex) {
			release(key.tenant(), eventId);
			throw ex;
		}
		count("cancelled");
		return accepted(eventId, cancelledAt);
	}

	/**
	 * Claims the event's cancellation, waiting while another request appends it, as long
	 * as that request's lease lasts (then its claim is taken over).
	 * @return anything but {@link StatusStore.CancelClaim.Pending}
	 */
	private StatusStore.CancelClaim claim(String tenant, String eventId) {
		// Reading the event and appending its cancellation each take at most the publish
		// timeout.
		Duration lease = this.properties.publishTimeout().multipliedBy(2).plus(LEASE_MARGIN);
		while (true) {
			StatusStore.CancelClaim claim = available(
					() -> this.store.claimCancellation(tenant, eventId, this.clock.instant(), lease));
			if (!(claim instanceof StatusStore.CancelClaim.Pending)) {
				return claim;
			}
			LockSupport.parkNanos(POLL_INTERVAL.toNanos());
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				count("unavailable");
				throw new ApiProblemException(ErrorCode.EVENT_LOG_UNAVAILABLE,
						"Interrupted while another request cancelled the event; retry later.", List.of(), retryAfter());
			}
		}
	}

	/**
	 * The cancellation of an event at a time, with the event's recipients, priority and
	 * channels when its record is still on its log.
	 */
	private EventCancelled cancellation(String tenant, String eventId, StatusStore.StoredEvent stored, Instant at) {
		EventAccepted event;
		try {
			event = (stored.position() != null)
					? this.events.read(stored.log(), stored.position(), eventId, this.properties.publishTimeout())
					: null;
		}
		catch (EventLogReader.EventLogUnavailableException ex) {
			logger.warn("Event {} of tenant {} not cancelled: {}", eventId, tenant, ex.getMessage());
			count("unavailable");
			throw new ApiProblemException(ErrorCode.EVENT_LOG_UNAVAILABLE, "The event log cannot be read; retry later.",
					List.of(), retryAfter());
		}
		return (event != null) ? EventCancelled.of(event, at, EventCancelled.BY_API)
				: new EventCancelled(EventCancelled.SCHEMA_VERSION, tenant, eventId, at, EventCancelled.BY_API);
	}

	/**
	 * Gives the claim back after a failure, so that a retry need not wait for its lease.
	 */
	private void release(String tenant, String eventId) {
		try {
			this.store.cancellationFailed(tenant, eventId);
		}
		catch (DataAccessException | RedisException ex) {
			// Its lease runs out by itself.
			logger.warn("Cancellation claim of event {} of tenant {} not released: {}", eventId, tenant, ex.toString());
		}
	}

	/**
	 * Writes the cancellation to the event's log, under its key, and waits for every
	 * in-sync replica.
	 */
	private void publish(StatusStore.StoredEvent stored, EventCancelled cancellation) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(stored.log(), stored.key(),
				EventCancelled.CODEC.encode(cancellation));
		HeaderNames.addCloudEvent(record.headers(), cancellation.eventId(), EventCancelled.CLOUD_EVENT_TYPE,
				CLOUD_EVENT_SOURCE, cancellation.cancelledAt(), null);
		this.tracing.injectCurrent(record.headers(), "publish " + stored.log());
		try {
			this.kafka.send(record).get(this.properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw logUnavailable(cancellation, ex);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			throw logUnavailable(cancellation, ex);
		}
	}

	private ApiProblemException logUnavailable(EventCancelled cancellation, Exception ex) {
		logger.warn("Cancellation of event {} of tenant {} not published: {}", cancellation.eventId(),
				cancellation.tenant(), ex.toString());
		count("unavailable");
		return new ApiProblemException(ErrorCode.EVENT_LOG_UNAVAILABLE,
				"The event log did not acknowledge the cancellation in time; retry later.", List.of(), retryAfter());
	}

	private <T> T available(Supplier<T> read) {
		try {
			return read.get();
		}
		catch (DataAccessException | RedisException ex) {
			logger.warn("Status store unavailable: {}", ex.toString());
			count("unavailable");
			throw new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE,
					"The status store cannot be reached; retry later.", List.of(), retryAfter());
		}
	}

	private HttpHeaders retryAfter() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER,
				Long.toString(Math.max(1, this.properties.unavailableRetryAfter().toSeconds())));
		return headers;
	}

	private void count(String outcome) {
		this.meters.counter("herald.ingestion.cancellations", "outcome", outcome).increment();
	}

	private static ResponseEntity<CancellationReceipt> accepted(String eventId, String cancelledAt) {
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(new CancellationReceipt(eventId, "cancelled", cancelledAt));
	}

	/**
	 * The body of a {@code 202}.
	 *
	 * @param status always {@code cancelled}: the cancellation is durable
	 * @param cancelledAt when the event was first cancelled
	 */
	record CancellationReceipt(String eventId, String status, String cancelledAt) {
	}

}
