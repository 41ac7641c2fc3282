package io.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.apache.kafka.common.header.Headers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Retract an event's in-app notification from users' inboxes: what routing writes to an
 * in-app lane ({@link Topics#deliver(Channel, Lane)} of the event's priority) when the
 * event is cancelled (docs/adr/029), keyed {@code tenant|userId} like the notification,
 * so it follows the notification in its partition. Told apart from a
 * {@link DeliverNotification} on the lane by its CloudEvents type
 * ({@link #CLOUD_EVENT_TYPE}). The notification is the one of
 * {@link DeliverNotification#notificationId(String, String, Channel)} for the event and
 * user; a user whose inbox does not hold it is left as it is, and retracting twice
 * changes nothing.
 *
 * <p>
 * Many users of one lane partition travel as one record: {@code userId} is the first (and
 * the key), {@code batch} lists the others.
 *
 * @param schemaVersion the version of this record's shape, {@link #SCHEMA_VERSION} when
 * written
 * @param tenant the tenant
 * @param eventId the cancelled event
 * @param userId the recipient (the first of a batch)
 * @param reason the cancellation's reason, which the gateway reports with
 * {@code cancelled}
 * @param retractedAt when routing decided it
 * @param batch the other users, in order; empty (and left out of the JSON) for one user
 */
public record RetractNotification(int schemaVersion, String tenant, String eventId, String userId, String reason,
		Instant retractedAt, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> batch) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	/** The CloudEvents type ({@code ce_type}) of a retraction on an in-app lane. */
	public static final String CLOUD_EVENT_TYPE = "io.herald.notification.retract.v" + SCHEMA_VERSION;

	/** The codec of retractions. */
	public static final JsonCodec<RetractNotification> CODEC = new JsonCodec<>(RetractNotification.class,
			SCHEMA_VERSION);

	public RetractNotification {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(reason, "reason");
		Objects.requireNonNull(retractedAt, "retractedAt");
		batch = (batch != null) ? List.copyOf(batch) : List.of();
	}

	/** Whether a record of an in-app lane is a retraction, by its CloudEvents type. */
	public static boolean isRetraction(Headers headers) {
		return HeaderNames.hasType(headers, CLOUD_EVENT_TYPE);
	}

	/** Every user of the record, in order: {@code userId}, then {@code batch}. */
	@JsonIgnore
	public List<String> users() {
		List<String> users = new ArrayList<>(this.batch.size() + 1);
		users.add(this.userId);
		users.addAll(this.batch);
		return users;
	}

	/** The partition key: {@code tenant|userId}. */
	@JsonIgnore
	public String key() {
		return PartitionKeys.user(this.tenant, this.userId);
	}

}
