package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.EventAccepted;
import io.herald.events.JsonCodec;
import io.herald.events.Versioned;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An event held for one user until {@code until}: the value of the
 * {@link RoutingStores#HELD} store. Only the channels that were still open when it was
 * held are decided again on release, so a channel reported {@code suppressed} never turns
 * into a delivery later.
 *
 * @param schemaVersion the version of this record's shape
 * @param event the event
 * @param userId the recipient
 * @param channels the channels deferred
 * @param until when it is decided again: the end of the hold, or the event's expiry if
 * that comes first (the {@code deferred} status names the end of the hold)
 * @param reason why it was held
 * @param traceparent the trace context of the routing that held it, continued on release;
 * {@code null} in entries held before the context was kept
 */
record HeldDelivery(int schemaVersion, EventAccepted event, String userId, Set<Channel> channels, Instant until,
		String reason, @Nullable String traceparent) implements Versioned {

	static final int SCHEMA_VERSION = 1;

	/** The first character of a released key ({@link #releasedKey}). */
	static final String RELEASED = "~";

	static final JsonCodec<HeldDelivery> CODEC = new JsonCodec<>(HeldDelivery.class, SCHEMA_VERSION);

	HeldDelivery {
		Objects.requireNonNull(event, "event");
		Objects.requireNonNull(userId, "userId");
		channels = Channel.setOf(channels);
		Objects.requireNonNull(until, "until");
		Objects.requireNonNull(reason, "reason");
	}

	/** The store key: due time first, zero-padded so that byte order is time order. */
	String key() {
		return dueKeyPrefix(this.until.toEpochMilli()) + '|' + this.event.tenant() + '|' + this.event.eventId() + '|'
				+ this.userId;
	}

	/**
	 * The key of this delivery in {@link RoutingStores#HELD_BY_EVENT}:
	 * {@code tenant|eventId|userId}.
	 */
	String eventKey() {
		return this.event.tenant() + '|' + this.event.eventId() + '|' + this.userId;
	}

	/** The key prefix of everything due at {@code epochMillis}. */
	static String dueKeyPrefix(long epochMillis) {
		return String.format("%016d", Math.max(0, epochMillis));
	}

	/**
	 * The key of an entry released at {@code epochMillis} whose outputs are not yet
	 * certainly out (docs/adr/013): led by {@value #RELEASED}, which sorts after every
	 * due key, so a scan for what is due never finds it.
	 * @param key the entry's due key
	 */
	static String releasedKey(long epochMillis, String key) {
		return RELEASED + dueKeyPrefix(epochMillis) + '|' + key;
	}

	/** The upper bound of the released keys of entries released at or before a time. */
	static String releasedUntil(long epochMillis) {
		return RELEASED + dueKeyPrefix(epochMillis) + '}';
	}

	/** When the entry of a {@linkplain #releasedKey released key} was released. */
	static long releasedAt(String releasedKey) {
		return Long.parseLong(releasedKey.substring(RELEASED.length(), RELEASED.length() + 16));
	}

	/** Whether a key is a {@linkplain #releasedKey released key}. */
	static boolean isReleased(String key) {
		return key.startsWith(RELEASED);
	}

}
