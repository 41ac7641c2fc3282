package io.herald.ingestion.idempotency;

/** What claiming an idempotency key found. */
public sealed interface Claim {

	/** The event id to use: a new one, or the one of an earlier publish that failed. */
	String eventId();

	/**
	 * The key is this caller's: publish the event with {@link #eventId()}, then settle
	 * the claim.
	 */
	record Owned(String eventId) implements Claim {
	}

	/** An event was already published under this key. */
	record AlreadyAccepted(String eventId) implements Claim {
	}

}
