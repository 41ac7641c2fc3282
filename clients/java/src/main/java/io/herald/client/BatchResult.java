package io.herald.client;

import org.jspecify.annotations.Nullable;

/**
 * What became of one event of a batch, in the order the batch listed them.
 *
 * @param outcome accepted, duplicate or rejected
 * @param eventId the event's id, unless rejected
 * @param problem why it was rejected
 */
public record BatchResult(Outcome outcome, @Nullable String eventId, @Nullable Problem problem) {

	/** What became of an event of a batch. */
	public enum Outcome {

		/** In the event log. */
		ACCEPTED,

		/**
		 * An event with the same idempotency key was accepted before; {@code eventId} is
		 * its id.
		 */
		DUPLICATE,

		/**
		 * Not published; {@code problem} says why, and the other events of the batch are
		 * not affected.
		 */
		REJECTED

	}

}
