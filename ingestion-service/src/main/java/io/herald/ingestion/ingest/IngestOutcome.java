package io.herald.ingestion.ingest;

/** What became of one valid event. */
sealed interface IngestOutcome {

	/** The event is durably in the event log. */
	record Accepted(String eventId) implements IngestOutcome {
	}

	/** An event with the same idempotency key was accepted before; nothing was published. */
	record Duplicate(String eventId) implements IngestOutcome {
	}

	/** The event log (or the idempotency store) could not take the event; the caller may retry. */
	record Unavailable(String reason) implements IngestOutcome {
	}

}
