package io.herald.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One call of a tenant's webhook endpoint to make: the value of {@link Topics#WEBHOOKS}
 * and its retry topics, keyed by {@link #key()} ({@code tenant|endpointId}) so that the
 * calls of one endpoint are read in order by one sender, and a slow endpoint holds up
 * only the partition it shares with others.
 *
 * <p>
 * The body is fixed when the call is made and sent unchanged by every try, so that each
 * try carries the same {@code webhookId} and the same signed bytes; a receiver
 * deduplicates by the id.
 *
 * @param schemaVersion the version of this record's shape, {@link #SCHEMA_VERSION} when
 * written
 * @param tenant the tenant that owns the endpoint
 * @param endpointId the endpoint to call
 * @param webhookId the call's id, unique per call and the same on every try
 * ({@code webhook-id})
 * @param type what happened, for example {@code delivery.sent}
 * @param body the JSON body to send, as text
 * @param createdAt when the call was made: a call older than the sender's maximum age is
 * given up
 * @param attempt the number of the try this record asks for, 1 for the first
 */
public record CallWebhook(int schemaVersion, String tenant, String endpointId, String webhookId, String type,
		String body, Instant createdAt, int attempt) implements Versioned {

	/** The version written by this code, and the highest it reads. */
	public static final int SCHEMA_VERSION = 1;

	public CallWebhook {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(endpointId, "endpointId");
		Objects.requireNonNull(webhookId, "webhookId");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(body, "body");
		Objects.requireNonNull(createdAt, "createdAt");
		if (attempt < 1) {
			throw new IllegalArgumentException("attempt must be at least 1, but was " + attempt);
		}
	}

	/** The key of this call on its topics: {@code tenant|endpointId}. */
	public String key() {
		return PartitionKeys.event(this.tenant, this.endpointId);
	}

	/** This call for its next try. */
	public CallWebhook nextAttempt() {
		return new CallWebhook(SCHEMA_VERSION, this.tenant, this.endpointId, this.webhookId, this.type, this.body,
				this.createdAt, this.attempt + 1);
	}

}
