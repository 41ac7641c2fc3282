package io.herald.routing.dedup;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A sliding-log rate limit per user and channel: a pure function of the send times already
 * recorded, the limit and the current instant.
 *
 * <p>The log keeps the send times of the last window (at most {@link RateLimit#max()} entries),
 * so the limit holds exactly for every window, not just for aligned ones: a fixed-window counter
 * would let twice the limit through around a window boundary. The price is {@code max} longs of
 * state per user and channel, which is small for the limits notifications need (a few per hour
 * for SMS, tens for push).
 *
 * <p>Suppressed deliveries do not count against the limit, and {@code critical} events are not
 * limited at all (the caller does not ask).
 */
public final class RateLimiter {

	/** The stable reason of a delivery suppressed by a rate limit. */
	public static final String RATE_LIMITED = "rate_limited";

	/**
	 * Asks for one delivery.
	 * @param history the stored send times in epoch milliseconds, oldest first, or {@code null}
	 * @param limit the limit of the channel
	 * @param now the current instant
	 */
	public RateDecision acquire(@Nullable List<Long> history, RateLimit limit, Instant now) {
		long nowMillis = now.toEpochMilli();
		long windowStart = nowMillis - limit.window().toMillis();
		List<Long> recent = new ArrayList<>();
		if (history != null) {
			for (Long sentAt : history) {
				if (sentAt != null && sentAt > windowStart) {
					recent.add(sentAt);
				}
			}
		}
		if (recent.size() >= limit.max()) {
			long oldest = recent.get(recent.size() - limit.max());
			return new RateDecision.Limited(List.copyOf(recent),
					Instant.ofEpochMilli(oldest).plus(limit.window()));
		}
		recent.add(nowMillis);
		return new RateDecision.Allowed(List.copyOf(recent));
	}

}
