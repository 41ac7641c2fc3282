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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code DELETE /v1/events/{eventId}} (docs/adr/029), with the scope {@code EVENTS_WRITE}: cancels
 * what of the event has not gone out and retracts its in-app notifications. The event must be one
 * the status view knows for the key's tenant; any other id is {@code 404}, so ids reveal nothing
 * across tenants, and an id no event can have is {@code 400 invalid_request}.
 *
 * <p>The answer is {@code 202} once an {@link EventCancelled} is durably on the event's own log
 * under the event's own key ({@code acks=all}), so it follows the event in its partition, and the
 * status view has {@code cancelledAt}; the event is then also marked cancelled in Redis
 * ({@link EventCancelled#redisKey}) for delivery, which checks the mark before every send. The
 * cancellation carries the event's recipients, priority and channels, read back from the log
 * ({@link EventLogReader}), so that routing retracts its in-app notifications; an event no longer
 * in its log is cancelled without them: nothing of it is retracted. Cancelling again is {@code 202} too and writes
 * nothing more. When the log does not acknowledge in time the answer is {@code 503
 * event_log_unavailable} with {@code Retry-After}, and retrying is safe: every stage applies a
 * cancellation idempotently.
 */
@RestController
class EventCancellations {

	/** The ids an event may have: what ingestion gives (UUIDs) fits, and nothing that breaks a key. */
	static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

	private static final String CLOUD_EVENT_SOURCE = "/herald/ingestion";

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
		Instant now = this.clock.instant();
		EventAccepted event = (stored.position() != null)
				? this.events.read(stored.log(), stored.position(), eventId, this.properties.publishTimeout()) : null;
		EventCancelled cancellation = (event != null) ? EventCancelled.of(event, now, EventCancelled.BY_API)
				: new EventCancelled(EventCancelled.SCHEMA_VERSION, key.tenant(), eventId, now, EventCancelled.BY_API);
		publish(stored, cancellation);
		available(() -> {
			this.store.cancelled(cancellation, this.statusProperties.cancellationMark());
			return null;
		});
		count("cancelled");
		return accepted(eventId, now.toString());
	}

	/** Writes the cancellation to the event's log, under its key, and waits for every in-sync replica. */
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
				"The event log did not acknowledge the cancellation in time; retry later.", List.of(),
				retryAfter());
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
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(new CancellationReceipt(eventId, "cancelled", cancelledAt));
	}

	/**
	 * The body of a {@code 202}.
	 * @param status always {@code cancelled}: the cancellation is durable
	 * @param cancelledAt when the event was first cancelled
	 */
	record CancellationReceipt(String eventId, String status, String cancelledAt) {
	}

}
