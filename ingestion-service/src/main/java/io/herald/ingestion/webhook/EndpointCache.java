package io.herald.ingestion.webhook;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The tenants' endpoints as the dispatcher sees them: each tenant's list as read from the
 * store at most {@link #TTL} ago, also for tenants without endpoints (most of them), so
 * that the dispatcher reads the store about once a second per tenant, not once per status
 * record or batch. A change made through this instance shows at once
 * ({@link #invalidate}); one made through another instance within {@link #TTL}. A read
 * that overlaps a change is not kept. Entries not read for {@link #TTL} are dropped, so
 * the cache holds only the tenants of the last second.
 */
final class EndpointCache {

	/**
	 * How old a tenant's endpoints may be when a status is dispatched: the delay of a
	 * change made elsewhere.
	 */
	static final Duration TTL = Duration.ofSeconds(1);

	private static final long TTL_MILLIS = TTL.toMillis();

	private final Function<String, List<WebhookEndpoint>> store;

	private final Clock clock;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	/** Counts the changes: a read that began before one is not kept. */
	private final AtomicLong changes = new AtomicLong();

	private volatile long sweptAt;

	/**
	 * @param store reads a tenant's endpoints; its failures reach the caller, and nothing
	 * is kept
	 */
	EndpointCache(Function<String, List<WebhookEndpoint>> store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	/** The tenant's endpoints, read at most {@link #TTL} ago. */
	List<WebhookEndpoint> endpoints(String tenant) {
		long now = this.clock.millis();
		sweep(now);
		Entry entry = this.entries.get(tenant);
		if (entry != null && entry.fresh(now)) {
			return entry.endpoints();
		}
		long before = this.changes.get();
		List<WebhookEndpoint> endpoints = List.copyOf(this.store.apply(tenant));
		Entry read = new Entry(endpoints, now);
		this.entries.put(tenant, read);
		if (this.changes.get() != before) {
			// A change came while reading: what was read may predate it.
			this.entries.remove(tenant, read);
		}
		return endpoints;
	}

	/**
	 * Forgets a tenant's endpoints: they changed, and the next lookup reads the store.
	 */
	void invalidate(String tenant) {
		this.changes.incrementAndGet();
		this.entries.remove(tenant);
	}

	/** How many tenants are held now. */
	int size() {
		return this.entries.size();
	}

	private void sweep(long now) {
		if (now - this.sweptAt >= TTL_MILLIS || now < this.sweptAt) {
			this.sweptAt = now;
			this.entries.values().removeIf((entry) -> !entry.fresh(now));
		}
	}

	/** A tenant's endpoints and when they were read, in epoch milliseconds. */
	private record Entry(List<WebhookEndpoint> endpoints, long readAt) {

		boolean fresh(long now) {
			return now >= this.readAt && now - this.readAt < TTL_MILLIS;
		}

	}

}
