package io.herald.routing.ratelimit;

import java.time.Instant;
import java.util.List;

/** The outcome of asking a {@link RateLimiter} for one delivery. */
public sealed interface RateDecision {

	/**
	 * The delivery may go out.
	 *
	 * @param history the new history to store, oldest first ({@link RateLimiter}'s
	 * entries)
	 */
	record Allowed(List<Long> history) implements RateDecision {
	}

	/**
	 * The delivery is over the limit and is suppressed
	 * ({@link RateLimiter#RATE_LIMITED}).
	 *
	 * @param history the history to store, pruned of expired entries
	 * @param freeAt when the next delivery would be allowed
	 */
	record Limited(List<Long> history, Instant freeAt) implements RateDecision {
	}

}
