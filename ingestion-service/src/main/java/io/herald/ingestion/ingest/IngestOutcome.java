package io.herald.ingestion.ingest;

/** What became of one valid event. */
sealed interface IngestOutcome {

	/** The event is durably in the event log. */
	record Accepted(String eventId) implements IngestOutcome {
	}

	/**
	 * An event with the same idempotency key was accepted before; nothing was published.
	 */
	record Duplicate(String eventId) implements IngestOutcome {
	}

	/**
	 * The event log (or the idempotency store) could not take the event; the caller may
	 * retry.
	 */
	record Unavailable(String reason) implements IngestOutcome {
	}

	/**
	 * The event log refused the event for good; nothing was accepted and a retry of the
	 * same event fails the same way.
	 *
	 * @param reason why
	 * @param detail a sentence for people, naming the limit where there is one
	 */
	record Rejected(Reason reason, String detail) implements IngestOutcome {

		/** Why the event log refused an event. */
		enum Reason {

			/** The event is larger than a record of the event log may be. */
			TOO_LARGE,

			/**
			 * The event log refused it for a reason of its own configuration (topic,
			 * authorization).
			 */
			REFUSED

		}

	}

}
