package io.herald.routing.dedup;

import io.herald.events.EventAccepted;
import org.apache.kafka.common.serialization.Serdes;
import org.jspecify.annotations.Nullable;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;

/**
 * Remembers which events were already routed to which users, so that an event written
 * twice to {@code herald.events} (a publish retried after an ambiguous timeout keeps its
 * event id, see docs/adr/002) produces its deliveries once, while an event read again
 * after a crash (routing is at least once, docs/adr/013) is routed again.
 *
 * <p>
 * Only an event published under an idempotency key can be written twice: without one,
 * every publish gets a new event id, and the producer's idempotence keeps its retries
 * from writing a record twice. So only such events are looked up and remembered; any
 * other is {@link Sighting#UNIQUE} without touching the store, and a replay of it is
 * routed again as any replay is (docs/adr/020).
 *
 * <p>
 * The store is a window store keyed {@code tenant|eventId|userId}, one entry per pair at
 * the record's timestamp, whose retention is the dedup window. The entry's value is the
 * event's <em>origin</em>: where routing first read it on {@code herald.events}
 * ({@link #origin}). A copy within the window of the first one is
 * <ul>
 * <li>a {@link Sighting#REPLAY} when it has the same origin: the same record read again,
 * whose outputs may not have reached the broker before the crash, so it must be routed
 * again (its outputs keep their ids, which the inbox and the send ledger recognise);</li>
 * <li>a {@link Sighting#DUPLICATE} when its origin differs, or is unknown: the event was
 * written twice, and this copy produces nothing.</li>
 * </ul>
 *
 * <p>
 * Trade-offs:
 * <ul>
 * <li>Retention is measured in <em>stream time</em> (record timestamps), not wall-clock
 * time: old entries are dropped segment by segment as newer records arrive, which costs
 * nothing per record and needs no punctuator scanning the store. A copy that arrives more
 * than the window after the first (in record time) is routed again: the window must cover
 * the longest time a publisher may retry, which the ingestion's idempotency window (24 h)
 * bounds.</li>
 * <li>Segments are dropped whole, so an entry may live up to one segment longer than the
 * window; it never lives shorter.</li>
 * <li>The store holds one small entry per named recipient, so an event naming a million
 * users holds a million entries for the window; they live in RocksDB on disk and in a
 * compacted, time-bounded changelog, and are restored with the task. A topic or all-users
 * event holds one entry per partition, whatever its audience: its copy is marked as a
 * whole (docs/adr/018).</li>
 * </ul>
 * Marking happens before any decision about the pair, so a duplicate of an event that is
 * held (quiet hours, {@code sendAt}) is recognised too.
 */
public final class EventDeduplicator {

	/** An origin that matches nothing: the copy came without one. */
	public static final long UNKNOWN_ORIGIN = -1;

	/**
	 * Offsets of one partition stay below this in an origin (2^40, about 10^12 records).
	 */
	private static final long OFFSETS = 1L << 40;

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
	 * @param stores what the store is kept in: RocksDB, or memory in topology tests
	 */
	public static StoreBuilder<WindowStore<String, Long>> storeBuilder(String name, Duration window,
			DslStoreSuppliers stores) {
		return Stores
			.windowStoreBuilder(stores.windowStore(
					new DslWindowParams(name, window, window, false, EmitStrategy.onWindowUpdate(), false, false)),
					Serdes.String(), Serdes.Long())
			.withCachingDisabled();
	}

	/**
	 * The origin of a record at {@code offset} of partition {@code partition} of
	 * {@code herald.events}.
	 */
	public static long origin(int partition, long offset) {
		if (partition < 0 || offset < 0 || offset >= OFFSETS) {
			return UNKNOWN_ORIGIN;
		}
		return partition * OFFSETS + offset;
	}

	/**
	 * The origin a {@link io.herald.events.HeaderNames#ORIGIN} header names, or
	 * {@link #UNKNOWN_ORIGIN}.
	 */
	public static long origin(@Nullable String header) {
		if (header == null) {
			return UNKNOWN_ORIGIN;
		}
		int colon = header.indexOf(':');
		try {
			return (colon > 0) ? origin(Integer.parseInt(header, 0, colon, 10),
					Long.parseLong(header, colon + 1, header.length(), 10)) : UNKNOWN_ORIGIN;
		}
		catch (NumberFormatException ex) {
			return UNKNOWN_ORIGIN;
		}
	}

	/** The text of an origin header. */
	public static String originHeader(int partition, long offset) {
		return partition + ":" + offset;
	}

	/**
	 * What this copy of the event is for the user; the pair of an event published under
	 * an idempotency key is remembered on its first sighting.
	 * @param timestamp the record's timestamp in epoch milliseconds
	 * @param origin where routing first read the event ({@link #origin}), or
	 * {@link #UNKNOWN_ORIGIN}
	 */
	public Sighting sight(EventAccepted event, String userId, long timestamp, long origin) {
		if (event.idempotencyKey() == null) {
			return Sighting.UNIQUE;
		}
		String key = event.tenant() + '|' + event.eventId() + '|' + userId;
		try (WindowStoreIterator<Long> seen = this.store.fetch(key, timestamp - this.windowMillis,
				timestamp + this.windowMillis)) {
			if (seen.hasNext()) {
				Long first = seen.next().value;
				return (origin != UNKNOWN_ORIGIN && first != null && first == origin) ? Sighting.REPLAY
						: Sighting.DUPLICATE;
			}
		}
		this.store.put(key, origin, timestamp);
		return Sighting.FIRST;
	}

	/** What a copy of an event is for one user. */
	public enum Sighting {

		/**
		 * An event published without an idempotency key, which has no copies: route it.
		 */
		UNIQUE,

		/** The first copy within the window: route it. */
		FIRST,

		/**
		 * The same record read again after a crash: route it again, its outputs keep
		 * their ids.
		 */
		REPLAY,

		/** The event written twice: drop this copy. */
		DUPLICATE

	}

}
