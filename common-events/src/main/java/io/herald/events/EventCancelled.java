package io.herald.events;

import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An accepted event its tenant cancelled ({@code DELETE /v1/events/{eventId}}): what has
 * not gone out is not sent, and in-app notifications already shown are retracted. Written
 * by ingestion to the event's own log ({@link Topics#eventLog}) under the event's own key
 * ({@link PartitionKeys#eventLog(EventAccepted)}), so it follows the event in its
 * partition, and told from an {@link EventAccepted} there by its CloudEvents type
 * ({@link #CLOUD_EVENT_TYPE}). Applying one twice changes nothing.
 *
 * @param schemaVersion the version of this record's shape, {@link #SCHEMA_VERSION} when
 * written
 * @param tenant the tenant that owns the event
 * @param eventId the event cancelled
 * @param cancelledAt when the cancellation was accepted
 * @param reason the reason every delivery it stops reports, {@link #BY_API} from the API
 * @param recipients the event's recipients, so that routing retracts its in-app
 * notifications from them; {@code null} when the event could not be read any more (its
 * log's retention)
 * @param priority the event's priority, whose in-app lane the retractions take;
 * {@code null} with {@code recipients}
 * @param channels the event's channels; empty for every channel
 */
public record EventCancelled(int schemaVersion, String tenant, String eventId, Instant cancelledAt, String reason,
		@Nullable Recipients recipients, @Nullable Priority priority, Set<Channel> channels) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	/** The CloudEvents type ({@code ce_type}) of a cancellation on an event log. */
	public static final String CLOUD_EVENT_TYPE = "io.herald.event.cancelled.v" + SCHEMA_VERSION;

	/** The reason of a cancellation through {@code DELETE /v1/events/{eventId}}. */
	public static final String BY_API = "cancelled_by_api";

	/** The codec of cancellations. */
	public static final JsonCodec<EventCancelled> CODEC = new JsonCodec<>(EventCancelled.class, SCHEMA_VERSION);

	public EventCancelled {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(cancelledAt, "cancelledAt");
		Objects.requireNonNull(reason, "reason");
		channels = Channel.setOf(channels);
	}

	/** A cancellation without the event's recipients: it retracts nothing. */
	public EventCancelled(int schemaVersion, String tenant, String eventId, Instant cancelledAt, String reason) {
		this(schemaVersion, tenant, eventId, cancelledAt, reason, null, null, Set.of());
	}

	/**
	 * The cancellation of an accepted event, with its recipients, priority and channels.
	 */
	public static EventCancelled of(EventAccepted event, Instant cancelledAt, String reason) {
		return new EventCancelled(SCHEMA_VERSION, event.tenant(), event.eventId(), cancelledAt, reason,
				event.recipients(), event.priority(), event.channels());
	}

	/**
	 * This cancellation for other recipients (routing's copy for one partition's users).
	 */
	public EventCancelled withRecipients(Recipients recipients) {
		return new EventCancelled(this.schemaVersion, this.tenant, this.eventId, this.cancelledAt, this.reason,
				recipients, this.priority, this.channels);
	}

	/**
	 * Whether the cancelled event had in-app notifications to retract, and who they went
	 * to is known.
	 */
	public boolean retractsInApp() {
		return this.recipients != null && this.priority != null
				&& (this.channels.isEmpty() || this.channels.contains(Channel.INAPP));
	}

	/**
	 * The Redis key that marks an event as cancelled for the stages that send
	 * ({@code herald:cancelled:{tenant:eventId}}, a string holding the reason, with a TTL
	 * longer than any retry): the cancellation API writes it, delivery reads it before
	 * every send.
	 */
	public static String redisKey(String tenant, String eventId) {
		return "herald:cancelled:{" + tenant + ":" + eventId + "}";
	}

	/** Whether a record of an event log is a cancellation, by its CloudEvents type. */
	public static boolean isCancellation(Headers headers) {
		return HeaderNames.hasType(headers, CLOUD_EVENT_TYPE);
	}

}
