package io.herald.ingestion.ingest;

import io.herald.events.Channel;
import io.herald.events.Content;
import io.herald.events.EventAccepted;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A valid event as a caller sent it, before Herald gave it an id.
 *
 * @param catalogOffset for a templated event, the template catalog's position when the
 * template was checked ({@link EventAccepted#catalogOffset()})
 */
record EventDraft(String type, Recipients recipients, Priority priority, @Nullable String idempotencyKey,
		Set<Channel> channels, @Nullable Content content, @Nullable String template, Map<String, @Nullable Object> data,
		@Nullable Instant sendAt, @Nullable Instant expiresAt, @Nullable Long catalogOffset) {

	/** The event as accepted for a tenant. */
	EventAccepted accept(String tenant, String eventId, Instant acceptedAt) {
		return new EventAccepted(EventAccepted.SCHEMA_VERSION, tenant, eventId, acceptedAt, this.type, this.recipients,
				this.priority, this.idempotencyKey, this.channels, this.content, this.template, this.data, this.sendAt,
				this.expiresAt, this.catalogOffset);
	}

}
