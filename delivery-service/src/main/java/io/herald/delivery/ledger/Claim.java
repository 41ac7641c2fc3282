package io.herald.delivery.ledger;

import org.jspecify.annotations.Nullable;

/**
 * What the ledger answered when a worker asked to send.
 */
public sealed interface Claim {

	/** Nobody sent it yet: the caller owns the send and must complete or release it. */
	record Claimed() implements Claim {
	}

	/**
	 * A worker claimed it before and stopped without a word (a crash, a lost Redis
	 * reply): the provider may or may not have it. The caller now owns the send; sending
	 * again risks a duplicate on the wire, which the send's stable ids let the device or
	 * mailbox collapse.
	 *
	 * @param previousOwner the worker that claimed it before
	 */
	record Ambiguous(String previousOwner) implements Claim {
	}

	/**
	 * Another worker holds a live lease on it: do not send now, try again after the
	 * lease.
	 *
	 * @param leaseUntilMs when the lease ends, in milliseconds since the epoch
	 */
	record Busy(long leaseUntilMs) implements Claim {
	}

	/**
	 * It was sent (or refused for good) before.
	 *
	 * @param outcome what was recorded, or {@code null} if unreadable
	 */
	record Done(@Nullable LedgerOutcome outcome) implements Claim {
	}

}
