package io.herald.delivery.ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * A send's entry in a set of its user's, which the send's ledger claim adds in its own
 * script when, and only when, it grants the send
 * ({@link SendLedger#claim(String, Listing)}): a send another worker holds, or one made
 * before, adds nothing.
 *
 * @param set the set's key, under the user's hash tag ({@code {tenant:userId}}) like the
 * send's ledger key, so that both are in one slot of a Redis Cluster
 * @param member what the claim adds to the set
 * @param retention how long the set is kept after the claim added to it
 */
public record Listing(String set, String member, Duration retention) {

	public Listing {
		Objects.requireNonNull(set, "set");
		Objects.requireNonNull(member, "member");
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("retention must be positive, but was " + retention);
		}
	}

}
