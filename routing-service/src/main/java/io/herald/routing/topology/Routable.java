package io.herald.routing.topology;

import io.herald.events.EventAccepted;
import io.herald.events.EventCancelled;

import java.util.List;

/**
 * What the router routes: an event for the one user of the record's key, a fan-out event
 * for many users of the task's partition at once (docs/adr/018), or the cancellation of
 * an event, which every partition receives (docs/adr/029).
 */
sealed interface Routable {

	/** An event for the user of the record's key ({@code tenant|userId}). */
	record One(EventAccepted event) implements Routable {
	}

	/**
	 * A topic or all-users event for some of its recipients on this partition, already
	 * deduplicated as a whole ({@link FanOutExpander}).
	 *
	 * @param event the event
	 * @param users the recipients, in the order of the task's store
	 */
	record Many(EventAccepted event, List<String> users) implements Routable {

		public Many {
			users = List.copyOf(users);
		}

	}

	/**
	 * The cancellation of an event, for whatever of it this partition holds or will read.
	 */
	record Cancel(EventCancelled cancellation) implements Routable {
	}

}
