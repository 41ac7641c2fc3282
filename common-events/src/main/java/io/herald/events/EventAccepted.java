package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An event the ingestion service accepted: everything of {@code POST /v1/events}, plus
 * the tenant, the id Herald gave it and when it was accepted. The value of
 * {@link Topics#EVENTS}, keyed by {@link PartitionKeys#eventLog(EventAccepted)}.
 *
 * <p>
 * Exactly one of {@code content} and {@code template} is set. {@code channels} empty
 * means every channel the user's preferences allow.
 *
 * @param schemaVersion the version of this record's shape, {@link #SCHEMA_VERSION} when
 * written
 * @param tenant the tenant that owns the event
 * @param eventId the id Herald gave the event; stable across publish retries of one
 * idempotency key, so downstream stages deduplicate on it
 * @param acceptedAt when the event was accepted
 * @param type the event's category, for example {@code order.shipped}
 * @param recipients who the event is for
 * @param priority how urgent it is
 * @param idempotencyKey the caller's idempotency key, if it gave one
 * @param channels the channels the event is restricted to; empty for no restriction
 * @param content literal content, or {@code null} when a template is used
 * @param template a template id, or {@code null} when literal content is used
 * @param data free JSON passed to templates and to in-app and push clients
 * @param sendAt deliver no earlier than this, or {@code null} for now
 * @param expiresAt drop what is not delivered by then, or {@code null} for never
 * @param catalogOffset for a templated event, the offset of {@link Topics#TEMPLATES} up
 * to which ingestion had read the template catalog when it checked {@code template}:
 * every template change answered before the event was accepted lies below it, and routing
 * renders the event with a catalog read at least that far; {@code null} for literal
 * content (or an event of an earlier release)
 */
public record EventAccepted(int schemaVersion, String tenant, String eventId, Instant acceptedAt, String type,
		Recipients recipients, Priority priority, @Nullable String idempotencyKey, Set<Channel> channels,
		@Nullable Content content, @Nullable String template, Map<String, @Nullable Object> data,
		@Nullable Instant sendAt, @Nullable Instant expiresAt, @Nullable Long catalogOffset) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	/** The CloudEvents type ({@code ce_type}) of a record of an event log. */
	public static final String CLOUD_EVENT_TYPE = "io.herald.event.accepted.v" + SCHEMA_VERSION;

	public EventAccepted {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(acceptedAt, "acceptedAt");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(recipients, "recipients");
		priority = (priority != null) ? priority : Priority.NORMAL;
		channels = Channel.setOf(channels);
		data = (data != null) ? data : Map.of();
		if ((content == null) == (template == null)) {
			throw new IllegalArgumentException("exactly one of content and template must be set");
		}
	}

	/** An event without a catalog offset. */
	public EventAccepted(int schemaVersion, String tenant, String eventId, Instant acceptedAt, String type,
			Recipients recipients, Priority priority, @Nullable String idempotencyKey, Set<Channel> channels,
			@Nullable Content content, @Nullable String template, Map<String, @Nullable Object> data,
			@Nullable Instant sendAt, @Nullable Instant expiresAt) {
		this(schemaVersion, tenant, eventId, acceptedAt, type, recipients, priority, idempotencyKey, channels, content,
				template, data, sendAt, expiresAt, null);
	}

	/**
	 * This event for other recipients: every other field is the same. Routing uses it to
	 * carry an event with only the recipients one partition or one user needs, instead of
	 * the whole list.
	 */
	public EventAccepted withRecipients(Recipients recipients) {
		return new EventAccepted(this.schemaVersion, this.tenant, this.eventId, this.acceptedAt, this.type, recipients,
				this.priority, this.idempotencyKey, this.channels, this.content, this.template, this.data, this.sendAt,
				this.expiresAt, this.catalogOffset);
	}

	/** Whether the event is past its expiry at the given instant. */
	public boolean isExpiredAt(Instant now) {
		return this.expiresAt != null && !now.isBefore(this.expiresAt);
	}

}
