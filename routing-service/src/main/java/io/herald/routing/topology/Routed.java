package io.herald.routing.topology;

import io.herald.events.DeliverNotification;
import io.herald.events.EventAccepted;
import io.herald.events.RetractNotification;
import io.herald.events.StatusReported;

/**
 * What the router emits: a delivery request, a status record, a retraction, or a dead
 * letter.
 */
sealed interface Routed {

	/** A delivery for a lane, keyed {@code tenant|userId}. */
	record Delivery(DeliverNotification notification) implements Routed {
	}

	/** A status record, keyed {@code tenant|eventId}. */
	record Status(StatusReported status) implements Routed {
	}

	/**
	 * The retraction of a cancelled event's in-app notification from users of one
	 * partition, for the in-app lane of the event's priority, keyed {@code tenant|userId}
	 * of its first user.
	 *
	 * @param lane the lane's topic
	 */
	record Retraction(RetractNotification retraction, String lane) implements Routed {
	}

	/** A held event that could not be released, for {@code herald.events.dlt}. */
	record DeadLetter(EventAccepted event) implements Routed {
	}

}
