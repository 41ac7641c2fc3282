package io.herald.routing.dedup;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;

/**
 * Remembers which events were already routed to which users, so that an event written twice to
 * {@code herald.events} (a publish retried after an ambiguous timeout keeps its event id, see
 * docs/adr/002) produces its deliveries once.
 *
 * <p>The store is a window store keyed {@code tenant|eventId|userId}, one entry per pair at the
 * record's timestamp, whose retention is the dedup window. A copy whose timestamp lies within the
 * window of the first one is a duplicate.
 *
 * <p>Trade-offs:
 * <ul>
 * <li>Retention is measured in <em>stream time</em> (record timestamps), not wall-clock time:
 * old entries are dropped segment by segment as newer records arrive, which costs nothing per
 * record and needs no punctuator scanning the store. A copy that arrives more than the window
 * after the first (in record time) is routed again: the window must cover the longest time a
 * publisher may retry, which the ingestion's idempotency window (24 h) bounds.</li>
 * <li>Segments are dropped whole, so an entry may live up to one segment longer than the window;
 * it never lives shorter.</li>
 * <li>The store holds one small entry per recipient, so a fan-out to a million users holds a
 * million entries for the window; they live in RocksDB on disk and in a compacted, time-bounded
 * changelog, and are restored with the task.</li>
 * </ul>
 * Marking happens before any decision about the pair, so a duplicate of an event that is held
 * (quiet hours, {@code sendAt}) is recognised too.
 */
public final class EventDeduplicator {

	private final WindowStore<String, Long> store;

	private final long windowMillis;

	public EventDeduplicator(WindowStore<String, Long> store, Duration window) {
		this.store = store;
		this.windowMillis = window.toMillis();
	}

	/**
	 * A window store for {@link EventDeduplicator}.
	 * @param name the store's name
	 * @param window the dedup window, which is the store's retention
	 */
	public static StoreBuilder<WindowStore<String, Long>> storeBuilder(String name, Duration window) {
		return Stores
			.windowStoreBuilder(Stores.persistentWindowStore(name, window, window, false), Serdes.String(),
					Serdes.Long())
			.withCachingDisabled();
	}

	/**
	 * Whether this is the first time the event reaches the user within the window; if it is, the
	 * pair is remembered.
	 * @param timestamp the record's timestamp in epoch milliseconds
	 */
	public boolean firstSighting(String tenant, String eventId, String userId, long timestamp) {
		String key = tenant + '|' + eventId + '|' + userId;
		try (WindowStoreIterator<Long> seen = this.store.fetch(key, timestamp - this.windowMillis,
				timestamp + this.windowMillis)) {
			if (seen.hasNext()) {
				return false;
			}
		}
		this.store.put(key, timestamp, timestamp);
		return true;
	}

}
