package io.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Deliver one notification to one user on one channel: what routing writes to the
 * delivery lanes ({@link Topics#deliver(Channel, Lane)}), keyed {@code tenant|userId} so
 * that one user's notifications in one lane stay in order.
 *
 * <p>
 * A fan-out writes the same in-app notification for many users of one partition as one
 * record, a batch ({@link #BATCH_SCHEMA_VERSION}): {@code userId} is its first user and
 * its key, and {@code batch} lists the others, every one of them keyed to the same
 * partition. {@link #perUser()} turns it back into one notification per user, each with
 * its own id. Only in-app lanes carry batches (docs/adr/018).
 *
 * @param schemaVersion the version of this record's shape
 * @param tenant the tenant
 * @param eventId the event the notification comes from
 * @param notificationId stable for the event, user and channel
 * ({@link #notificationId(String, String, Channel)}): a redelivered request carries the
 * same id, so every edge can deduplicate on it
 * @param userId the recipient
 * @param priority the event's priority
 * @param category the event's type
 * @param message the rendered content for the channel
 * @param data the event's data, passed to in-app and push clients unchanged; empty on an
 * email or SMS request unless one of its fallbacks is push
 * @param createdAt when routing created the notification
 * @param expiresAt drop it if not delivered by then, or {@code null}
 * @param fallbacks for {@code critical} notifications only: the same notification
 * rendered for other channels the user can receive, in the order to try them when every
 * provider of this channel is down (push, then SMS, then email); empty otherwise, and
 * left out of the JSON
 * @param batch the other users this same notification goes to, in order, for a batch;
 * empty (and left out of the JSON) for one user
 * @param digestOf for a digest (docs/adr/036), the events it lists on this channel, at
 * most {@value #MAX_DIGEST_ITEMS}: delivery reports each status of the digest for every
 * one of them too, so each event's status follows its digest; empty (and left out of the
 * JSON) otherwise
 * @param countedAs for a batch whose users' {@code queued} routing reported as one count
 * (docs/adr/037), the count's id ({@link Counts}): every status of these deliveries names
 * it; {@code null} (and left out of the JSON) otherwise
 */
public record DeliverNotification(int schemaVersion, String tenant, String eventId, String notificationId,
		String userId, Priority priority, String category, ChannelMessage message, Map<String, @Nullable Object> data,
		Instant createdAt, @Nullable Instant expiresAt,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<ChannelMessage> fallbacks,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> batch,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> digestOf,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String countedAs) implements Versioned {

	/** The version of a notification for one user, written by this code. */
	public static final int SCHEMA_VERSION = 1;

	/**
	 * The version of a batch for several users; a reader of version 1 alone refuses it
	 * rather than deliver it to its first user only.
	 */
	public static final int BATCH_SCHEMA_VERSION = 2;

	/** The most events one digest lists (docs/adr/036). */
	public static final int MAX_DIGEST_ITEMS = 1000;

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
		batch = (batch != null) ? List.copyOf(batch) : List.of();
		if (!batch.isEmpty() && schemaVersion < BATCH_SCHEMA_VERSION) {
			throw new IllegalArgumentException("a batch needs schemaVersion " + BATCH_SCHEMA_VERSION);
		}
		digestOf = (digestOf != null) ? List.copyOf(digestOf) : List.of();
		if (digestOf.size() > MAX_DIGEST_ITEMS) {
			throw new IllegalArgumentException("a digest lists at most " + MAX_DIGEST_ITEMS + " events");
		}
		if (!digestOf.isEmpty() && !batch.isEmpty()) {
			throw new IllegalArgumentException("a digest is for one user");
		}
		if (countedAs != null && !Counts.isId(countedAs)) {
			throw new IllegalArgumentException("not a count id: " + countedAs);
		}
	}

	/** A notification for one user, a batch or a digest, not of a count. */
	public DeliverNotification(int schemaVersion, String tenant, String eventId, String notificationId, String userId,
			Priority priority, String category, ChannelMessage message, Map<String, @Nullable Object> data,
			Instant createdAt, @Nullable Instant expiresAt, List<ChannelMessage> fallbacks, List<String> batch,
			List<String> digestOf) {
		this(schemaVersion, tenant, eventId, notificationId, userId, priority, category, message, data, createdAt,
				expiresAt, fallbacks, batch, digestOf, null);
	}

	/** A notification for one user or a batch, not a digest. */
	public DeliverNotification(int schemaVersion, String tenant, String eventId, String notificationId, String userId,
			Priority priority, String category, ChannelMessage message, Map<String, @Nullable Object> data,
			Instant createdAt, @Nullable Instant expiresAt, List<ChannelMessage> fallbacks, List<String> batch) {
		this(schemaVersion, tenant, eventId, notificationId, userId, priority, category, message, data, createdAt,
				expiresAt, fallbacks, batch, List.of());
	}

	/** A notification for one user, with fallbacks. */
	public DeliverNotification(int schemaVersion, String tenant, String eventId, String notificationId, String userId,
			Priority priority, String category, ChannelMessage message, Map<String, @Nullable Object> data,
			Instant createdAt, @Nullable Instant expiresAt, List<ChannelMessage> fallbacks) {
		this(schemaVersion, tenant, eventId, notificationId, userId, priority, category, message, data, createdAt,
				expiresAt, fallbacks, List.of());
	}

	/** A notification without fallbacks. */
	public DeliverNotification(int schemaVersion, String tenant, String eventId, String notificationId, String userId,
			Priority priority, String category, ChannelMessage message, Map<String, @Nullable Object> data,
			Instant createdAt, @Nullable Instant expiresAt) {
		this(schemaVersion, tenant, eventId, notificationId, userId, priority, category, message, data, createdAt,
				expiresAt, List.of(), List.of());
	}

	/** This notification with fallbacks for other channels. */
	public DeliverNotification withFallbacks(List<ChannelMessage> fallbacks) {
		return new DeliverNotification(this.schemaVersion, this.tenant, this.eventId, this.notificationId, this.userId,
				this.priority, this.category, this.message, this.data, this.createdAt, this.expiresAt, fallbacks,
				this.batch, this.digestOf, this.countedAs);
	}

	/** This notification as the digest of the given events. */
	public DeliverNotification withDigestOf(List<String> eventIds) {
		return new DeliverNotification(this.schemaVersion, this.tenant, this.eventId, this.notificationId, this.userId,
				this.priority, this.category, this.message, this.data, this.createdAt, this.expiresAt, this.fallbacks,
				this.batch, eventIds, this.countedAs);
	}

	/**
	 * One batch record carrying this notification for several users, the first of which
	 * is the record's user and key; a single user makes a plain notification.
	 * @param users the users, in order; all of one partition of the lane
	 */
	public static DeliverNotification batch(DeliverNotification first, List<String> users) {
		return batch(first, users, null);
	}

	/**
	 * One batch record carrying this notification for several users, as
	 * {@link #batch(DeliverNotification, List)}, whose users' {@code queued} was reported
	 * as the count {@code countedAs}.
	 * @param countedAs the count's id, or {@code null}; ignored for a single user, whose
	 * {@code queued} is reported on its own
	 */
	public static DeliverNotification batch(DeliverNotification first, List<String> users, @Nullable String countedAs) {
		if (users.isEmpty() || !users.get(0).equals(first.userId())) {
			throw new IllegalArgumentException("a batch starts with the user of its first notification");
		}
		if (users.size() == 1) {
			return first;
		}
		return new DeliverNotification(BATCH_SCHEMA_VERSION, first.tenant, first.eventId, first.notificationId,
				first.userId, first.priority, first.category, first.message, first.data, first.createdAt,
				first.expiresAt, first.fallbacks, users.subList(1, users.size()), List.of(), countedAs);
	}

	/** Whether this record carries the notification for more than one user. */
	public boolean manyUsers() {
		return !this.batch.isEmpty();
	}

	/**
	 * The notifications this record carries, one per user in order, each with its own id
	 * ({@link #notificationId(String, String, Channel)}); a single notification is
	 * itself.
	 */
	public List<DeliverNotification> perUser() {
		if (this.batch.isEmpty()) {
			return List.of(this);
		}
		List<DeliverNotification> notifications = new ArrayList<>(this.batch.size() + 1);
		notifications.add(forUser(this.userId, this.notificationId));
		for (String user : this.batch) {
			notifications.add(forUser(user, notificationId(this.eventId, user, channel())));
		}
		return notifications;
	}

	private DeliverNotification forUser(String user, String id) {
		return new DeliverNotification(SCHEMA_VERSION, this.tenant, this.eventId, id, user, this.priority,
				this.category, this.message, this.data, this.createdAt, this.expiresAt, this.fallbacks, List.of(),
				List.of(), this.countedAs);
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

	/**
	 * The stable id of an event's notification for a user on a channel (a name-based
	 * UUID).
	 */
	public static String notificationId(String eventId, String userId, Channel channel) {
		String name = eventId + PartitionKeys.SEPARATOR + userId + PartitionKeys.SEPARATOR + channel.wireName();
		return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
	}

}
