package io.herald.gateway.inbox;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.JsonCodec;
import io.herald.events.Lane;
import io.herald.events.RecordDecodingException;
import io.herald.events.RetractNotification;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills users' inboxes from the in-app delivery lanes, one listener container (consumer
 * group and threads) per lane so that no lane's traffic delays another's: critical
 * notifications have a lane of their own, never behind high or bulk ones (docs/adr/014).
 *
 * <p>
 * Guarantee: at least once, and idempotent by notification id. A batch's offsets are
 * committed only after every notification in it is in its user's inbox and every
 * resulting status record ({@code delivered} with the seq, {@code expired} for a
 * notification past its {@code expiresAt}) is acknowledged by the broker, and at most
 * once a second ({@code spring.kafka.listener.ack-time}): a crash reads the batches
 * written since the last commit again. Any failure fails the batch, which the container's
 * error handler retries without end. A redelivered notification keeps its seq, is not
 * published again, and is reported {@code delivered} again with that seq, since the
 * failure may have come between its append and its report. A batch record of a fan-out
 * (docs/adr/018) appends its notification for each of its users. One user's records come
 * in order on one partition and are appended in that order, so seqs follow the lane's
 * order. Records that cannot be decoded, or are no in-app notification, go to the lane's
 * dead-letter topic and the partition moves on.
 *
 * <p>
 * A retraction on the lane ({@link RetractNotification}, docs/adr/029) is applied after
 * the batch's appends: each notification an inbox holds gets a {@code retracted} entry
 * with the next seq, its devices a {@code retracted} frame, and it is reported
 * {@code cancelled}.
 *
 * <p>
 * Each record's append is a span ({@value #APPEND_SPAN}), the child of the record's
 * {@code traceparent}; its status records carry the span's context, and so does the live
 * message the append publishes, which each gateway node continues with a span of its push
 * to a session.
 */
@Component
class InboxWriter {

	/** The name of the span of one notification's append to its user's inbox. */
	static final String APPEND_SPAN = "herald.inbox.append";

	/** The most users one status record of a batch names. */
	static final int MAX_STATUS_BATCH = 500;

	/** How an inbox notification's JSON begins: with its id. */
	private static final String ID_FIELD = "{\"id\":\"";

	private static final Logger logger = LoggerFactory.getLogger(InboxWriter.class);

	private final InboxStore store;

	private final StatusReporter statuses;

	private final DeadLetters deadLetters;

	private final InboxMetrics metrics;

	private final Clock clock;

	private final RecordTracing tracing;

	InboxWriter(InboxStore store, StatusReporter statuses, DeadLetters deadLetters, InboxMetrics metrics, Clock clock,
			RecordTracing tracing) {
		this.tracing = tracing;
		this.store = store;
		this.statuses = statuses;
		this.deadLetters = deadLetters;
		this.metrics = metrics;
		this.clock = clock;
	}

	@KafkaListener(id = "herald-inbox-critical", topics = Topics.Names.INAPP_CRITICAL, batch = "true",
			concurrency = "${herald.gateway.inbox.critical-consumers:1}")
	void onCritical(List<ConsumerRecord<String, byte[]>> records) {
		write(Lane.CRITICAL, records);
	}

	@KafkaListener(id = "herald-inbox-priority", topics = Topics.Names.INAPP_PRIORITY, batch = "true",
			concurrency = "${herald.gateway.inbox.priority-consumers:2}")
	void onPriority(List<ConsumerRecord<String, byte[]>> records) {
		write(Lane.PRIORITY, records);
	}

	@KafkaListener(id = "herald-inbox-bulk", topics = Topics.Names.INAPP_BULK, batch = "true",
			concurrency = "${herald.gateway.inbox.bulk-consumers:2}")
	void onBulk(List<ConsumerRecord<String, byte[]>> records) {
		write(Lane.BULK, records);
	}

	private void write(Lane lane, List<ConsumerRecord<String, byte[]>> records) {
		Instant now = this.clock.instant();
		List<Span> recordSpans = new ArrayList<>(records.size());
		List<DeliverNotification> accepted = new ArrayList<>(records.size());
		List<Integer> recordOf = new ArrayList<>(records.size());
		List<Instant> origins = new ArrayList<>(records.size());
		List<Append> appends = new ArrayList<>(records.size());
		List<Traced> statuses = new ArrayList<>();
		List<InboxStore.Retract> retracts = new ArrayList<>();
		List<Retracted> retracted = new ArrayList<>();
		try {
			for (ConsumerRecord<String, byte[]> record : records) {
				Span span = this.tracing.start(APPEND_SPAN, record.headers()).tag("herald.lane", lane.topicSuffix());
				if (RetractNotification.isRetraction(record.headers())) {
					RetractNotification retraction = retraction(lane, record, span);
					if (retraction != null) {
						recordSpans.add(span);
						String traceparent = this.tracing.traceparent(span);
						for (String user : retraction.users()) {
							retracts.add(new InboxStore.Retract(retraction.tenant(), user,
									DeliverNotification.notificationId(retraction.eventId(), user, Channel.INAPP),
									traceparent));
							retracted.add(new Retracted(retraction, user, span));
						}
					}
					continue;
				}
				List<DeliverNotification> notifications;
				List<String> jsons;
				try {
					DeliverNotification decoded = decode(lane, record);
					notifications = decoded.perUser();
					jsons = storable(notifications, inApp(decoded));
				}
				catch (RecordDecodingException ex) {
					deadLetter(lane, record, span, ex);
					continue;
				}
				recordSpans.add(span);
				if (notifications.size() > 1) {
					span.tag("herald.recipients", Integer.toString(notifications.size()));
				}
				DeliverNotification first = notifications.get(0);
				if (first.expiresAt() != null && !now.isBefore(first.expiresAt())) {
					List<StatusReported> expired = new ArrayList<>(notifications.size());
					for (DeliverNotification notification : notifications) {
						expired.add(status(notification, DeliveryState.EXPIRED, now).withReason("expires_at"));
					}
					this.metrics.count(lane, first, Outcome.EXPIRED, notifications.size());
					StatusReported.batched(expired, MAX_STATUS_BATCH)
						.forEach((status) -> statuses.add(new Traced(status, span)));
					tag(span, Outcome.EXPIRED);
					continue;
				}
				Instant origin = Funnel.acceptedAt(record.headers(), first.createdAt());
				String traceparent = this.tracing.traceparent(span);
				for (int i = 0; i < notifications.size(); i++) {
					DeliverNotification notification = notifications.get(i);
					accepted.add(notification);
					recordOf.add(recordSpans.size() - 1);
					origins.add(origin);
					appends.add(new Append(notification.tenant(), notification.userId(), notification.notificationId(),
							jsons.get(i), traceparent));
				}
			}
			List<AppendResult> results = this.store.append(appends);
			Instant appendedAt = this.clock.instant();
			List<StatusReported> delivered = new ArrayList<>();
			int appendedOfRecord = 0;
			int duplicatesOfRecord = 0;
			for (int i = 0; i < results.size(); i++) {
				AppendResult result = results.get(i);
				DeliverNotification notification = accepted.get(i);
				Span span = recordSpans.get(recordOf.get(i));
				// A notification appended before is reported again: the report of its
				// append may have been lost with a batch that failed after appending (a
				// Redis timeout, a crash), and the status view takes the same seq twice
				// as once.
				delivered.add(new StatusReported(StatusReported.SCHEMA_VERSION, notification.tenant(),
						notification.eventId(), notification.userId(), Channel.INAPP, null, DeliveryState.DELIVERED,
						null, null, null, result.seq(), appendedAt, List.of(), notification.countedAs()));
				boolean firstOfRecord = i == 0 || !recordOf.get(i - 1).equals(recordOf.get(i));
				boolean lastOfRecord = i + 1 == results.size() || !recordOf.get(i + 1).equals(recordOf.get(i));
				if (firstOfRecord) {
					appendedOfRecord = 0;
					duplicatesOfRecord = 0;
				}
				if (result.appended()) {
					appendedOfRecord++;
				}
				else {
					duplicatesOfRecord++;
				}
				if (lastOfRecord) {
					// A record's users share tenant, priority and times: its metrics are
					// counted once.
					if (appendedOfRecord > 0) {
						this.metrics.count(lane, notification, Outcome.APPENDED, appendedOfRecord);
						this.metrics.appended(lane, notification, origins.get(i), appendedAt, appendedOfRecord);
					}
					if (duplicatesOfRecord > 0) {
						this.metrics.count(lane, notification, Outcome.DUPLICATE, duplicatesOfRecord);
					}
					// A batch record's span counts as appended if any of its users'
					// notifications was.
					tag(span, (appendedOfRecord > 0) ? Outcome.APPENDED : Outcome.DUPLICATE);
					if (firstOfRecord) {
						span.tag("herald.seq", result.seq());
					}
				}
				if (logger.isDebugEnabled()) {
					try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
						logger.debug("Notification {} for user {} is seq {} of the inbox{}",
								notification.notificationId(), notification.userId(), result.seq(),
								result.appended() ? "" : " already");
					}
				}
				// A record's statuses leave together, folded into batches, with the
				// record's trace context.
				if (lastOfRecord && !delivered.isEmpty()) {
					StatusReported.batched(delivered, MAX_STATUS_BATCH)
						.forEach((status) -> statuses.add(new Traced(status, span)));
					delivered.clear();
				}
			}
			// After the appends: a retraction follows its notification in the lane, and
			// in the inbox.
			retract(lane, retracts, retracted, statuses);
			this.statuses.report(statuses);
		}
		catch (RuntimeException ex) {
			// The batch fails and is read again.
			recordSpans.forEach((span) -> span.error(ex));
			throw ex;
		}
		finally {
			recordSpans.forEach(Span::end);
		}
	}

	/**
	 * Retracts notifications (docs/adr/029) and reports each one an inbox held
	 * {@code cancelled}, again when it was retracted before (its report may have been
	 * lost with a failed batch).
	 */
	private void retract(Lane lane, List<InboxStore.Retract> retracts, List<Retracted> retracted,
			List<Traced> statuses) {
		List<InboxStore.RetractResult> results = this.store.retract(retracts);
		Instant at = this.clock.instant();
		int now = 0;
		int again = 0;
		for (int i = 0; i < results.size(); i++) {
			InboxStore.RetractResult result = results.get(i);
			if (result.seq() == 0) {
				continue;
			}
			if (result.retracted()) {
				now++;
			}
			else {
				again++;
			}
			Retracted one = retracted.get(i);
			statuses
				.add(new Traced(
						StatusReported.of(one.retraction().tenant(), one.retraction().eventId(), one.userId(),
								Channel.INAPP, DeliveryState.CANCELLED, at)
							.withReason(one.retraction().reason()),
						one.span()));
		}
		this.metrics.retractions(lane, "retracted", now);
		this.metrics.retractions(lane, "again", again);
		this.metrics.retractions(lane, "absent", results.size() - now - again);
	}

	/**
	 * The retraction a record carries, or {@code null} when it is none, after
	 * dead-lettering it.
	 */
	private @Nullable RetractNotification retraction(Lane lane, ConsumerRecord<String, byte[]> record, Span span) {
		try {
			RetractNotification retraction = RetractNotification.CODEC.decode(record.value());
			if (retraction == null) {
				throw new RecordDecodingException(RecordDecodingException.Reason.INVALID_RECORD,
						"empty retraction on a delivery lane");
			}
			if (!retraction.key().equals(record.key())) {
				throw new RecordDecodingException(RecordDecodingException.Reason.INVALID_RECORD,
						"a retraction for '" + retraction.key() + "' keyed '" + record.key() + "'");
			}
			return retraction;
		}
		catch (RecordDecodingException ex) {
			deadLetter(lane, record, span, ex);
			return null;
		}
	}

	/**
	 * Sends a record that is no in-app delivery to the lane's dead-letter topic, and ends
	 * its span.
	 */
	private void deadLetter(Lane lane, ConsumerRecord<String, byte[]> record, Span span, RecordDecodingException ex) {
		try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
			logger.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
					ex.getMessage());
			this.deadLetters.send(record, ex);
		}
		finally {
			tag(span, Outcome.DEAD_LETTERED).end();
		}
		this.metrics.count(lane, null, Outcome.DEAD_LETTERED);
	}

	/** One user of a retraction record. */
	private record Retracted(RetractNotification retraction, String userId, Span span) {
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
	 * The notifications' JSON as their inboxes keep it, refused when its readers could
	 * not serve it ({@link StoredNotifications}): such a record is dead-lettered with the
	 * reason. The notifications of a batch differ in their ids alone, which have one
	 * length: the first one's JSON is written and checked, and the others' made from it.
	 */
	private static List<String> storable(List<DeliverNotification> notifications, ChannelMessage.InApp message) {
		DeliverNotification first = notifications.get(0);
		String json = JsonCodec.MAPPER.writeValueAsString(InboxNotification.of(first, message));
		String violation = StoredNotifications.violation(json);
		if (violation != null) {
			throw new RecordDecodingException(RecordDecodingException.Reason.INVALID_RECORD, violation);
		}
		if (notifications.size() == 1) {
			return List.of(json);
		}
		String head = ID_FIELD + first.notificationId() + '"';
		List<String> jsons = new ArrayList<>(notifications.size());
		for (DeliverNotification notification : notifications) {
			String id = notification.notificationId();
			if (json.startsWith(head) && id.length() == first.notificationId().length()) {
				jsons.add(ID_FIELD + id + json.substring(ID_FIELD.length() + id.length()));
			}
			else {
				jsons.add(JsonCodec.MAPPER.writeValueAsString(InboxNotification.of(notification, message)));
			}
		}
		return jsons;
	}

	/**
	 * A status of the notification, naming the count its {@code queued} was in, if any
	 * (docs/adr/037).
	 */
	private static StatusReported status(DeliverNotification notification, DeliveryState state, Instant at) {
		return StatusReported
			.of(notification.tenant(), notification.eventId(), notification.userId(), Channel.INAPP, state, at)
			.withCountedAs(notification.countedAs());
	}

}
