package io.herald.ingestion.ingest;

import io.herald.events.EventAccepted;
import io.herald.ingestion.idempotency.Claim;
import io.herald.ingestion.idempotency.IdempotencyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * Accepts valid events: claims the idempotency key if there is one, publishes to the
 * event log, and settles the claim by the outcome. An event is
 * {@link IngestOutcome.Accepted} only once the log acknowledged it; if the log cannot
 * take it within the publish timeout the outcome is {@link IngestOutcome.Unavailable} and
 * the idempotency key is free for a retry, so nothing is half-written. An event the log
 * refuses for good (too large for a record, say) is {@link IngestOutcome.Rejected}:
 * retrying it cannot help.
 */
@Service
class IngestionService {

	private static final Logger logger = LoggerFactory.getLogger(IngestionService.class);

	private final EventPublisher publisher;

	private final IdempotencyStore idempotency;

	private final IngestionMetrics metrics;

	private final Clock clock;

	private final Executor settler = Executors.newVirtualThreadPerTaskExecutor();

	IngestionService(EventPublisher publisher, IdempotencyStore idempotency, IngestionMetrics metrics, Clock clock) {
		this.publisher = publisher;
		this.idempotency = idempotency;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * Ingests one valid event. Blocks while claiming its idempotency key (a Redis round
	 * trip, or longer while a concurrent request with the same key is in flight); the
	 * publish itself is asynchronous, so a batch can have all its events in flight at
	 * once.
	 */
	CompletableFuture<IngestOutcome> ingest(String tenant, EventDraft draft) {
		String key = draft.idempotencyKey();
		String eventId = UUID.randomUUID().toString();
		if (key != null) {
			Claim claim;
			try {
				claim = this.idempotency.claim(tenant, key, eventId);
			}
			catch (RuntimeException ex) {
				logger.warn("Idempotency store unavailable: {}", ex.toString());
				this.metrics.rejected(tenant, draft.priority(), "idempotency_store_unavailable");
				return CompletableFuture.completedFuture(new IngestOutcome.Unavailable("idempotency_store"));
			}
			if (claim instanceof Claim.AlreadyAccepted accepted) {
				this.metrics.duplicate(tenant, draft.priority());
				return CompletableFuture.completedFuture(new IngestOutcome.Duplicate(accepted.eventId()));
			}
			eventId = claim.eventId();
		}
		EventAccepted event = draft.accept(tenant, eventId, this.clock.instant());
		return publish(event);
	}

	private CompletableFuture<IngestOutcome> publish(EventAccepted event) {
		long start = System.nanoTime();
		CompletableFuture<?> sent;
		try {
			// Completes within the producer's delivery timeout, which is below the
			// publish timeout (EventPublisher): no timer per event.
			sent = this.publisher.publish(event);
		}
		catch (RuntimeException ex) {
			sent = CompletableFuture.failedFuture(ex);
		}
		// Settling a claim touches Redis: keep it off the producer's I/O thread. An event
		// without an idempotency key has nothing to settle and completes where the
		// acknowledgement arrives.
		BiFunction<Object, Throwable, IngestOutcome> outcome = (metadata, failure) -> {
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			this.metrics.published(took, failure == null);
			String key = event.idempotencyKey();
			if (failure != null) {
				if (key != null) {
					settle(() -> this.idempotency.settleFailed(event.tenant(), key, event.eventId()));
				}
				IngestOutcome.Rejected rejected = PublishFailures.permanent(failure);
				if (rejected != null) {
					logger.warn("Event {} of tenant {} refused by the event log: {}", event.eventId(), event.tenant(),
							rejected.detail());
					this.metrics.rejected(event.tenant(), event.priority(),
							(rejected.reason() == IngestOutcome.Rejected.Reason.TOO_LARGE) ? "event_too_large"
									: "event_log_refused");
					return rejected;
				}
				logger.warn("Event {} of tenant {} not published: {}", event.eventId(), event.tenant(),
						failure.toString());
				this.metrics.rejected(event.tenant(), event.priority(), "event_log_unavailable");
				return new IngestOutcome.Unavailable("event_log");
			}
			if (key != null) {
				settle(() -> this.idempotency.settlePublished(event.tenant(), key, event.eventId()));
			}
			this.metrics.accepted(event.tenant(), event.priority());
			return new IngestOutcome.Accepted(event.eventId());
		};
		return (event.idempotencyKey() != null) ? sent.handleAsync(outcome, this.settler) : sent.handle(outcome);
	}

	/**
	 * Settles a claim. If Redis is gone at this moment the claim's lease runs out by
	 * itself: a retry then takes it over with the same event id, and downstream stages
	 * deduplicate by it.
	 */
	private static void settle(Runnable settlement) {
		try {
			settlement.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not settle an idempotency claim: {}", ex.toString());
		}
	}

}
