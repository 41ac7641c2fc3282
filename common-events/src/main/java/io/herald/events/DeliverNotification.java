package io.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Deliver one notification to one user on one channel: what routing writes to the delivery
 * lanes ({@link Topics#deliver(Channel, Lane)}), keyed {@code tenant|userId} so that one user's
 * notifications in one lane stay in order.
 *
 * @param schemaVersion the version of this record's shape
 * @param tenant the tenant
 * @param eventId the event the notification comes from
 * @param notificationId stable for the event, user and channel ({@link #notificationId(String, String, Channel)}):
 * a redelivered request carries the same id, so every edge can deduplicate on it
 * @param userId the recipient
 * @param priority the event's priority
 * @param category the event's type
 * @param message the rendered content for the channel
 * @param data the event's data, passed to in-app and push clients unchanged; empty on an email or
 * SMS request unless one of its fallbacks is push
 * @param createdAt when routing created the notification
 * @param expiresAt drop it if not delivered by then, or {@code null}
 * @param fallbacks for {@code critical} notifications only: the same notification rendered for
 * other channels the user can receive, in the order to try them when every provider of this
 * channel is down (push, then SMS, then email); empty otherwise, and left out of the JSON
 */
public record DeliverNotification(int schemaVersion, String tenant, String eventId, String notificationId,
		String userId, Priority priority, String category, ChannelMessage message, Map<String, @Nullable Object> data,
		Instant createdAt, @Nullable Instant expiresAt,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<ChannelMessage> fallbacks) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	public DeliverNotification {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(notificationId, "notificationId");
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(priority, "priority");
		Objects.requireNonNull(category, "category");
		Objects.requireNonNull(message, "message");
		data = (data != null) ? data : Map.of();
		Objects.requireNonNull(createdAt, "createdAt");
		fallbacks = (fallbacks != null) ? List.copyOf(fallbacks) : List.of();
	}

	/** A notification without fallbacks. */
	public DeliverNotification(int schemaVersion, String tenant, String eventId, String notificationId, String userId,
			Priority priority, String category, ChannelMessage message, Map<String, @Nullable Object> data,
			Instant createdAt, @Nullable Instant expiresAt) {
		this(schemaVersion, tenant, eventId, notificationId, userId, priority, category, message, data, createdAt,
				expiresAt, List.of());
	}

	/** This notification with fallbacks for other channels. */
	public DeliverNotification withFallbacks(List<ChannelMessage> fallbacks) {
		return new DeliverNotification(this.schemaVersion, this.tenant, this.eventId, this.notificationId, this.userId,
				this.priority, this.category, this.message, this.data, this.createdAt, this.expiresAt, fallbacks);
	}

	/** The channel of the message. */
	@JsonIgnore
	public Channel channel() {
		return this.message.channel();
	}

	/** The partition key: {@code tenant|userId}. */
	@JsonIgnore
	public String key() {
		return PartitionKeys.user(this.tenant, this.userId);
	}

	/** The stable id of an event's notification for a user on a channel (a name-based UUID). */
	public static String notificationId(String eventId, String userId, Channel channel) {
		String name = eventId + PartitionKeys.SEPARATOR + userId + PartitionKeys.SEPARATOR + channel.wireName();
		return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
	}

}
