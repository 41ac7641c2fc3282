package io.herald.gateway.inbox;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.JsonCodec;
import io.herald.events.Lane;
import io.herald.events.RecordDecodingException;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.gateway.inbox.InboxMetrics.Outcome;
import io.herald.gateway.inbox.InboxStore.Append;
import io.herald.gateway.inbox.StatusReporter.Traced;
import io.herald.support.kafka.DeadLetters;
import io.herald.support.metrics.Funnel;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills users' inboxes from the in-app delivery lanes, one listener container (consumer group and
 * threads) per lane so that no lane's traffic delays another's: critical notifications have a lane
 * of their own, never behind high or bulk ones (docs/adr/014).
 *
 * <p>Guarantee: at least once, and idempotent by notification id. A batch's offsets are committed
 * only after every notification in it is in its user's inbox and every resulting status record
 * ({@code delivered} with the seq for a new append, {@code expired} for a notification past its
 * {@code expiresAt}) is acknowledged by the broker, and at most once a second
 * ({@code spring.kafka.listener.ack-time}): a crash reads the batches written since the last
 * commit again. Any failure fails the batch, which the container's error handler retries without
 * end. A redelivered notification keeps its seq and reports nothing again. One user's records come in order on one partition and are appended in
 * that order, so seqs follow the lane's order. Records that cannot be decoded, or are no in-app
 * notification, go to the lane's dead-letter topic and the partition moves on.
 *
 * <p>Each record's append is a span ({@value #APPEND_SPAN}), the child of the record's
 * {@code traceparent}; its status records carry the span's context, and so does the live message
 * the append publishes, which each gateway node continues with a span of its push to a session.
 */
@Component
class InboxWriter {

	/** The name of the span of one notification's append to its user's inbox. */
	static final String APPEND_SPAN = "herald.inbox.append";

	private static final Logger logger = LoggerFactory.getLogger(InboxWriter.class);

	private final InboxStore store;

	private final StatusReporter statuses;

	private final DeadLetters deadLetters;

	private final InboxMetrics metrics;

	private final Clock clock;

	private final RecordTracing tracing;

	InboxWriter(InboxStore store, StatusReporter statuses, DeadLetters deadLetters, InboxMetrics metrics,
			Clock clock, RecordTracing tracing) {
		this.tracing = tracing;
		this.store = store;
		this.statuses = statuses;
		this.deadLetters = deadLetters;
		this.metrics = metrics;
		this.clock = clock;
	}

	@KafkaListener(id = "herald-inbox-critical", topics = "herald.deliver.inapp.critical", batch = "true",
			concurrency = "${herald.gateway.inbox.critical-consumers:1}")
	void onCritical(List<ConsumerRecord<String, byte[]>> records) {
		write(Lane.CRITICAL, records);
	}

	@KafkaListener(id = "herald-inbox-priority", topics = "herald.deliver.inapp.priority", batch = "true",
			concurrency = "${herald.gateway.inbox.priority-consumers:2}")
	void onPriority(List<ConsumerRecord<String, byte[]>> records) {
		write(Lane.PRIORITY, records);
	}

	@KafkaListener(id = "herald-inbox-bulk", topics = "herald.deliver.inapp.bulk", batch = "true",
			concurrency = "${herald.gateway.inbox.bulk-consumers:2}")
	void onBulk(List<ConsumerRecord<String, byte[]>> records) {
		write(Lane.BULK, records);
	}

	private void write(Lane lane, List<ConsumerRecord<String, byte[]>> records) {
		Instant now = this.clock.instant();
		List<DeliverNotification> accepted = new ArrayList<>(records.size());
		List<Span> spans = new ArrayList<>(records.size());
		List<Instant> origins = new ArrayList<>(records.size());
		List<Append> appends = new ArrayList<>(records.size());
		List<Traced> statuses = new ArrayList<>();
		try {
			for (ConsumerRecord<String, byte[]> record : records) {
				Span span = this.tracing.start(APPEND_SPAN, record.headers()).tag("herald.lane", lane.topicSuffix());
				DeliverNotification notification;
				InboxNotification stored;
				String json;
				try {
					notification = decode(lane, record);
					stored = InboxNotification.of(notification, inApp(notification));
					json = storable(stored);
				}
				catch (RecordDecodingException ex) {
					try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
						logger.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
								ex.getMessage());
						this.deadLetters.send(record, ex);
					}
					finally {
						tag(span, Outcome.DEAD_LETTERED).end();
					}
					this.metrics.count(lane, null, Outcome.DEAD_LETTERED);
					continue;
				}
				if (notification.expiresAt() != null && !now.isBefore(notification.expiresAt())) {
					statuses.add(new Traced(status(notification, DeliveryState.EXPIRED, now).withReason("expires_at"),
							span));
					tag(span, Outcome.EXPIRED).end();
					this.metrics.count(lane, notification, Outcome.EXPIRED);
					continue;
				}
				accepted.add(notification);
				spans.add(span);
				origins.add(Funnel.acceptedAt(record.headers(), notification.createdAt()));
				appends.add(new Append(notification.tenant(), notification.userId(), stored.id(), json,
						this.tracing.traceparent(span)));
			}
			List<AppendResult> results = this.store.append(appends);
			Instant appendedAt = this.clock.instant();
			for (int i = 0; i < results.size(); i++) {
				AppendResult result = results.get(i);
				DeliverNotification notification = accepted.get(i);
				Span span = spans.get(i);
				if (result.appended()) {
					statuses.add(new Traced(new StatusReported(StatusReported.SCHEMA_VERSION, notification.tenant(),
							notification.eventId(), notification.userId(), Channel.INAPP, null, DeliveryState.DELIVERED,
							null, null, null, result.seq(), appendedAt), span));
					this.metrics.count(lane, notification, Outcome.APPENDED);
					this.metrics.appended(lane, notification, origins.get(i), appendedAt);
				}
				else {
					this.metrics.count(lane, notification, Outcome.DUPLICATE);
				}
				tag(span, result.appended() ? Outcome.APPENDED : Outcome.DUPLICATE).tag("herald.seq", result.seq());
				try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
					logger.debug("Notification {} for user {} is seq {} of the inbox{}", notification.notificationId(),
							notification.userId(), result.seq(), result.appended() ? "" : " already");
				}
			}
			this.statuses.report(statuses);
		}
		catch (RuntimeException ex) {
			// The batch fails and is read again.
			spans.forEach((span) -> span.error(ex));
			throw ex;
		}
		finally {
			spans.forEach(Span::end);
		}
	}

	private static Span tag(Span span, Outcome outcome) {
		return span.tag("herald.outcome", outcome.tag());
	}

	private static DeliverNotification decode(Lane lane, ConsumerRecord<String, byte[]> record) {
		DeliverNotification notification = Topics.deliver(Channel.INAPP, lane).codec().decode(record.value());
		if (notification == null) {
			throw new RecordDecodingException(RecordDecodingException.Reason.INVALID_RECORD,
					"empty record on a delivery lane");
		}
		return notification;
	}

	private static ChannelMessage.InApp inApp(DeliverNotification notification) {
		if (notification.message() instanceof ChannelMessage.InApp message) {
			return message;
		}
		throw new RecordDecodingException(RecordDecodingException.Reason.INVALID_RECORD,
				"a " + notification.channel().wireName() + " notification on an in-app lane");
	}

	/**
	 * The notification's JSON as its inbox keeps it, refused when its readers could not serve it
	 * ({@link StoredNotifications}): such a record is dead-lettered with the reason.
	 */
	private static String storable(InboxNotification notification) {
		String json = JsonCodec.MAPPER.writeValueAsString(notification);
		String violation = StoredNotifications.violation(json);
		if (violation != null) {
			throw new RecordDecodingException(RecordDecodingException.Reason.INVALID_RECORD, violation);
		}
		return json;
	}

	private static StatusReported status(DeliverNotification notification, DeliveryState state, Instant at) {
		return StatusReported.of(notification.tenant(), notification.eventId(), notification.userId(), Channel.INAPP,
				state, at);
	}

}
