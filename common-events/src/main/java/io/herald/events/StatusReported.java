package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Objects;

/**
 * A stage's decision or outcome for one delivery of an event: the value of
 * {@link Topics#STATUS}, keyed by {@link PartitionKeys#event(String, String)} so that every
 * record of one event is read in order by one status view.
 *
 * @param schemaVersion the version of this record's shape, {@link #SCHEMA_VERSION} when written
 * @param tenant the tenant that owns the event
 * @param eventId the event
 * @param userId the recipient
 * @param channel the channel of this delivery
 * @param device the device, for push ({@code ios:1a2b...}); {@code null} otherwise
 * @param state the new state
 * @param reason why, for {@code suppressed}, {@code deferred}, {@code failed},
 * {@code dead-lettered} and {@code expired}
 * @param until until when, for {@code deferred}
 * @param providerId the provider's message id, for {@code sent}
 * @param seq the inbox sequence number, for {@code delivered} and {@code acknowledged}
 * @param at when the state was reached
 */
public record StatusReported(int schemaVersion, String tenant, String eventId, String userId, Channel channel,
		@Nullable String device, DeliveryState state, @Nullable String reason, @Nullable Instant until,
		@Nullable String providerId, @Nullable Long seq, Instant at) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	public StatusReported {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(state, "state");
		Objects.requireNonNull(at, "at");
	}

	/** A status record of the current schema version without optional details. */
	public static StatusReported of(String tenant, String eventId, String userId, Channel channel,
			DeliveryState state, Instant at) {
		return new StatusReported(SCHEMA_VERSION, tenant, eventId, userId, channel, null, state, null, null, null,
				null, at);
	}

	/** This record with a reason. */
	public StatusReported withReason(String reason) {
		return new StatusReported(this.schemaVersion, this.tenant, this.eventId, this.userId, this.channel,
				this.device, this.state, reason, this.until, this.providerId, this.seq, this.at);
	}

	/** The identity of the user's delivery on this record's channel, whatever the device. */
	public String channelKey() {
		return this.userId + "|" + this.channel.wireName();
	}

	/** The identity of the delivery this record is about: user, channel and device. */
	public String deliveryKey() {
		return this.userId + "|" + this.channel.wireName() + ((this.device != null) ? "|" + this.device : "");
	}

}
