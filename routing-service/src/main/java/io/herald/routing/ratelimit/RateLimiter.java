package io.herald.routing.ratelimit;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A sliding-log rate limit per user and channel: a pure function of the deliveries
 * already recorded, the limit, the current instant and the delivery asked for.
 *
 * <p>
 * The log keeps the deliveries of the last window (at most {@link RateLimit#max()}
 * entries), so the limit holds exactly for every window, not just for aligned ones: a
 * fixed-window counter would let twice the limit through around a window boundary. The
 * price is {@code max} longs of state per user and channel, which is small for the limits
 * notifications need (a few per hour for SMS, tens for push).
 *
 * <p>
 * Asking again for a delivery the log already holds is allowed and changes nothing:
 * routing is at least once (docs/adr/013), so an event read again after a crash, or a
 * held delivery released twice, asks again for what it was already granted, and must
 * neither be counted twice nor be refused what its first routing sent. Each entry is one
 * long: its send time in seconds and the hash of its event's id ({@link #entry}); an
 * entry written by an earlier version holds the send time in milliseconds alone and
 * matches no delivery.
 *
 * <p>
 * Suppressed deliveries do not count against the limit, and {@code critical} events are
 * not limited at all (the caller does not ask).
 */
public final class RateLimiter {

	/** The stable reason of a delivery suppressed by a rate limit. */
	public static final String RATE_LIMITED = "rate_limited";

	/** Entries count seconds from here: 31 bits of them last until 2088. */
	private static final long EPOCH_SECONDS = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();

	/**
	 * Set on every entry that names its delivery; entries of earlier versions are plain
	 * millis.
	 */
	private static final long IDENTIFIED = Long.MIN_VALUE;

	/**
	 * Asks for one delivery.
	 * @param history the stored entries, oldest first, or {@code null}
	 * @param limit the limit of the channel
	 * @param now the current instant
	 * @param eventId the id of the event delivered (the user and channel are the
	 * history's)
	 */
	public RateDecision acquire(@Nullable List<Long> history, RateLimit limit, Instant now, String eventId) {
		long windowStart = now.toEpochMilli() - limit.window().toMillis();
		long asked = entry(now, eventId);
		List<Long> recent = new ArrayList<>();
		boolean granted = false;
		if (history != null) {
			for (Long entry : history) {
				if (entry != null && sentAtMillis(entry) > windowStart) {
					recent.add(entry);
					granted |= sameDelivery(entry, asked);
				}
			}
		}
		if (granted) {
			return new RateDecision.Allowed(List.copyOf(recent));
		}
		if (recent.size() >= limit.max()) {
			long oldest = sentAtMillis(recent.get(recent.size() - limit.max()));
			return new RateDecision.Limited(List.copyOf(recent), Instant.ofEpochMilli(oldest).plus(limit.window()));
		}
		recent.add(asked);
		return new RateDecision.Allowed(List.copyOf(recent));
	}

	/**
	 * The entry of a delivery of {@code eventId} sent at {@code sentAt}: the top bit set,
	 * the send time in seconds since 2020 in the next 31 bits, the event id's hash in the
	 * low 32.
	 */
	static long entry(Instant sentAt, String eventId) {
		long seconds = Math.max(0, sentAt.getEpochSecond() - EPOCH_SECONDS);
		return IDENTIFIED | (seconds << 32) | (eventId.hashCode() & 0xFFFF_FFFFL);
	}

	/** When the entry's delivery was sent, in epoch milliseconds. */
	static long sentAtMillis(long entry) {
		if ((entry & IDENTIFIED) == 0) {
			return entry;
		}
		return ((entry & ~IDENTIFIED) >>> 32) * 1000 + EPOCH_SECONDS * 1000;
	}

	/**
	 * Whether two entries name the same delivery: the same event, whenever it was sent.
	 */
	private static boolean sameDelivery(long entry, long asked) {
		return (entry & IDENTIFIED) != 0 && (int) entry == (int) asked;
	}

}
