package io.herald.routing.topology;

import io.herald.events.EventAccepted;

import java.util.List;

/**
 * What the router routes: an event for the one user of the record's key, or a fan-out event for
 * many users of the task's partition at once (docs/adr/018).
 */
sealed interface Routable {

	/** The event. */
	EventAccepted event();

	/** An event for the user of the record's key ({@code tenant|userId}). */
	record One(EventAccepted event) implements Routable {
	}

	/**
	 * A topic or all-users event for some of its recipients on this partition, already deduplicated
	 * as a whole ({@link FanOutExpander}).
	 *
	 * @param event the event
	 * @param users the recipients, in the order of the task's store
	 */
	record Many(EventAccepted event, List<String> users) implements Routable {

		public Many {
			users = List.copyOf(users);
		}

	}

}
