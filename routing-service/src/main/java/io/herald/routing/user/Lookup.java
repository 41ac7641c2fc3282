package io.herald.routing.user;

import io.herald.events.UserState;

/** The outcome of one attempt to read a user's state. */
sealed interface Lookup {

	/** The user is known. */
	record Found(UserState state) implements Lookup {
	}

	/** The user is not known (never written, or erased). */
	record Missing() implements Lookup {
	}

	/**
	 * The state could not be read right now: the store is rebalancing or restoring, or
	 * its owner cannot be reached. Worth retrying.
	 *
	 * @param reason why, for logs
	 */
	record Unavailable(String reason) implements Lookup {
	}

}
