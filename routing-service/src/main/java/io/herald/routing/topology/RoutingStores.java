package io.herald.routing.topology;

/**
 * Names of the routing topology's state stores, shared by the topology and the user API's
 * reads. Every store is persistent (RocksDB) and backed by a changelog topic
 * ({@code <application.id>-<store>-changelog}), so a restarted or moved task restores it.
 */
public final class RoutingStores {

	/**
	 * Every known user: {@code KeyValueStore<String, UserState>} keyed
	 * {@code tenant|userId}, backed by a changelog topic. The user API reads it through
	 * interactive queries.
	 */
	public static final String USER_STATE = "user-state";

	/**
	 * Topic subscriptions of the users of this partition, for fan-out:
	 * {@code KeyValueStore<String, String>} keyed {@code tenant|topic|userId}, valued
	 * with the user id, so that a prefix scan of {@code tenant|topic|} finds a topic's
	 * subscribers. Derived from the same commands as {@link #USER_STATE}.
	 */
	public static final String TOPIC_SUBSCRIBERS = "topic-subscribers";

	/**
	 * Events already routed to users: {@code WindowStore<String, Long>} keyed
	 * {@code tenant|eventId|userId}, retention = the dedup window.
	 */
	public static final String DEDUP = "dedup";

	/**
	 * Deliveries held for quiet hours or {@code sendAt}:
	 * {@code KeyValueStore<String, HeldDelivery>} keyed
	 * {@code <due epoch ms, 16 digits>|tenant|eventId|userId}, so a range scan up to now
	 * finds every due one in order.
	 */
	public static final String HELD = "held-deliveries";

	/**
	 * The held deliveries of each event: {@code KeyValueStore<String, String>} keyed
	 * {@code tenant|eventId|userId}, valued with the delivery's key in {@link #HELD}, so
	 * that a cancellation finds an event's held deliveries with a prefix scan instead of
	 * reading them all. Written and deleted with {@link #HELD}.
	 */
	public static final String HELD_BY_EVENT = "held-by-event";

	/**
	 * Cancelled events: {@code KeyValueStore<String, EventCancelled>} keyed
	 * {@code tenant|eventId}, so that a copy of a cancelled event routed after its
	 * cancellation (through another repartition topic, or held) is not delivered. Kept
	 * for {@code herald.routing.cancellation-retention} after the cancellation.
	 */
	public static final String CANCELLED = "cancelled-events";

	/**
	 * Recent send times per user and channel for rate limits:
	 * {@code KeyValueStore<String, List<Long>>} keyed {@code tenant|userId|channel}.
	 */
	public static final String RATE_LIMITS = "rate-limits";

	/**
	 * Digests (docs/adr/036): {@code KeyValueStore<String, PendingDigest>} keyed
	 * {@code tenant|userId|pattern}, one per user and category pattern.
	 */
	public static final String DIGESTS = "digests";

	/**
	 * When each digest of {@link #DIGESTS} is due: {@code KeyValueStore<String, String>}
	 * keyed {@code <due epoch ms, 16 digits>|tenant|userId|pattern}, valued with the
	 * digest's key, so a range scan up to now finds every due one in order.
	 */
	public static final String DIGESTS_DUE = "digests-due";

	private RoutingStores() {
	}

}
