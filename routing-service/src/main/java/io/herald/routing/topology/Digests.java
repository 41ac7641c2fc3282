package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.EventAccepted;
import io.herald.events.PartitionKeys;
import io.herald.routing.digest.DigestPlan;
import io.herald.routing.topology.PendingDigest.DigestItem;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The digests of a task's users (docs/adr/036): {@link RoutingStores#DIGESTS}, one
 * {@link PendingDigest} per user and pattern, and {@link RoutingStores#DIGESTS_DUE}, the
 * same keys led by their due time, so the release punctuator finds what is due with a
 * range scan as it does for held deliveries. Every change of a digest is one write of its
 * record (and of its index entry), so a crash leaves a digest as it was before or after a
 * change, never half of one.
 */
final class Digests {

	/**
	 * How long the ids of a digest that went out are kept: far longer than the work a
	 * crash makes routing do again (the commit interval, docs/adr/013).
	 */
	static final Duration FLUSHED_RETENTION = Duration.ofHours(1);

	private static final StringSerializer KEY_PREFIX = new StringSerializer();

	private final KeyValueStore<String, PendingDigest> digests;

	private final KeyValueStore<String, String> due;

	Digests(KeyValueStore<String, PendingDigest> digests, KeyValueStore<String, String> due) {
		this.digests = digests;
		this.due = due;
	}

	/**
	 * Collects an event into the user's digest of the plan's pattern, opening one if none
	 * is open. An event the digest already holds, or went out with last, is not collected
	 * again.
	 * @return the outcome, with the time the digest goes out
	 */
	Collected collect(EventAccepted event, String userId, DigestPlan plan, ZoneId zone, Set<Channel> channels,
			String title, String body, @Nullable String traceparent, Instant now) {
		String key = PendingDigest.key(event.tenant(), userId, plan.pattern());
		PendingDigest current = this.digests.get(key);
		if (current != null && current.has(event.eventId())) {
			return new Collected(current.isOpen() ? current.due() : null, false);
		}
		PendingDigest digest;
		if (current == null || !current.isOpen()) {
			Set<String> flushed = (current != null) ? current.flushed() : Set.of();
			List<PendingDigest> sending = (current != null) ? current.sending() : List.of();
			if (current != null) {
				this.due.delete(current.dueKey());
			}
			digest = new PendingDigest(PendingDigest.SCHEMA_VERSION, event.tenant(), userId, plan.pattern(),
					plan.template(), now, plan.window().end(now, zone), List.of(), flushed, traceparent, sending);
		}
		else {
			digest = current;
		}
		boolean listed = digest.items().size() < PendingDigest.MAX_LISTED;
		digest = digest.with(
				new DigestItem(event.eventId(), event.type(), listed ? title : "", listed ? body : "", channels, now));
		if (digest.items().size() >= PendingDigest.MAX_ITEMS && digest.due().isAfter(now)) {
			this.due.delete(digest.dueKey());
			digest = digest.dueAt(now);
		}
		write(digest);
		return new Collected(digest.due(), true);
	}

	/**
	 * The open digests due by {@code now}, at most {@code max}; what is kept of digests
	 * that went out is forgotten when its time comes. A due digest keeps its index entry
	 * until it is {@linkplain #sent sent}, {@linkplain #hold held} or {@linkplain #drop
	 * dropped}, so a crash in between finds it due again.
	 */
	List<PendingDigest> due(Instant now, int max) {
		List<KeyValue<String, String>> entries = new ArrayList<>();
		try (KeyValueIterator<String, String> iterator = this.due.range(null,
				HeldDelivery.dueKeyPrefix(now.toEpochMilli()) + '}')) {
			while (iterator.hasNext() && entries.size() < max) {
				entries.add(iterator.next());
			}
		}
		List<PendingDigest> due = new ArrayList<>();
		for (KeyValue<String, String> entry : entries) {
			PendingDigest digest = this.digests.get(entry.value);
			if (digest == null || !entry.key.equals(digest.dueKey())) {
				// Erased with its user, or due at another time now.
				this.due.delete(entry.key);
			}
			else if (digest.isOpen()) {
				due.add(digest);
			}
			else {
				this.due.delete(entry.key);
				if (digest.sending().isEmpty()) {
					this.digests.delete(entry.value);
				}
				// Otherwise forgotten when what it sent settles.
			}
		}
		return due;
	}

	/**
	 * Marks a digest as gone out, keeping its ids for {@link #FLUSHED_RETENTION}, and the
	 * digest itself until it {@linkplain #settle settles}, found by its
	 * {@linkplain HeldDelivery#releasedKey released key} in the index.
	 */
	void sent(PendingDigest digest, Instant now) {
		this.due.delete(digest.dueKey());
		write(digest.flushed(now, now.plus(FLUSHED_RETENTION)));
		this.due.put(HeldDelivery.releasedKey(now.toEpochMilli(), digest.key()), digest.key());
	}

	/** The released keys of the digests sent and not settled. */
	List<String> unsettled() {
		List<String> keys = new ArrayList<>();
		try (KeyValueIterator<String, String> iterator = this.due.range(HeldDelivery.RELEASED,
				HeldDelivery.releasedUntil(Long.MAX_VALUE))) {
			iterator.forEachRemaining((entry) -> keys.add(entry.key));
		}
		return keys;
	}

	/**
	 * The digests that went out at the time of a released key and have not settled, each
	 * as it was sent; none when they settled, or the user was erased, meanwhile.
	 */
	List<PendingDigest> sentAt(String releasedKey) {
		String key = this.due.get(releasedKey);
		PendingDigest digest = (key != null) ? this.digests.get(key) : null;
		if (digest == null) {
			return List.of();
		}
		long at = HeldDelivery.releasedAt(releasedKey);
		return digest.sending().stream().filter((sent) -> sent.due().toEpochMilli() == at).toList();
	}

	/**
	 * Moves the digests that went out at the time of a released key to a released key of
	 * {@code now}: they were sent again then.
	 */
	void sentAgain(String releasedKey, Instant now) {
		String key = this.due.get(releasedKey);
		PendingDigest digest = (key != null) ? this.digests.get(key) : null;
		this.due.delete(releasedKey);
		if (key == null || digest == null) {
			return;
		}
		long at = HeldDelivery.releasedAt(releasedKey);
		List<PendingDigest> sending = new ArrayList<>();
		boolean moved = false;
		for (PendingDigest sent : digest.sending()) {
			boolean again = sent.due().toEpochMilli() == at;
			sending.add(again ? sent.dueAt(now) : sent);
			moved |= again;
		}
		if (moved) {
			this.digests.put(key, digest.sending(sending));
			this.due.put(HeldDelivery.releasedKey(now.toEpochMilli(), key), key);
		}
	}

	/**
	 * Forgets the digests sent at or before {@code until}, at most {@code max} released
	 * keys of them: their outputs are certainly out. A digest that went out and whose ids
	 * are past their retention goes with them.
	 */
	void settle(Instant until, Instant now, int max) {
		List<KeyValue<String, String>> entries = new ArrayList<>();
		try (KeyValueIterator<String, String> iterator = this.due.range(HeldDelivery.RELEASED,
				HeldDelivery.releasedUntil(until.toEpochMilli()))) {
			while (iterator.hasNext() && entries.size() < max) {
				entries.add(iterator.next());
			}
		}
		for (KeyValue<String, String> entry : entries) {
			this.due.delete(entry.key);
			PendingDigest digest = this.digests.get(entry.value);
			if (digest == null) {
				continue;
			}
			long at = HeldDelivery.releasedAt(entry.key);
			List<PendingDigest> sending = new ArrayList<>();
			for (PendingDigest sent : digest.sending()) {
				if (sent.due().toEpochMilli() > at) {
					sending.add(sent);
				}
			}
			PendingDigest settled = digest.sending(sending);
			if (!settled.isOpen() && sending.isEmpty() && !settled.due().isAfter(now)) {
				this.digests.delete(entry.value);
			}
			else {
				this.digests.put(entry.value, settled);
			}
		}
	}

	/** Holds a due digest until {@code until} (quiet hours). */
	void hold(PendingDigest digest, Instant until) {
		this.due.delete(digest.dueKey());
		write(digest.dueAt(until));
	}

	/** Drops a digest: its user is gone. */
	void drop(PendingDigest digest) {
		this.due.delete(digest.dueKey());
		this.digests.delete(digest.key());
	}

	/** The number of digests of the task, open or just gone out (RocksDB's estimate). */
	long approximateCount() {
		return this.digests.approximateNumEntries();
	}

	private void write(PendingDigest digest) {
		this.digests.put(digest.key(), digest);
		this.due.put(digest.dueKey(), digest.key());
	}

	/**
	 * Drops every digest of a user (erasure). Their index entries are left to expire:
	 * they find no digest.
	 * @return how many open digests were dropped
	 */
	static int forget(KeyValueStore<String, PendingDigest> digests, String tenant, String userId) {
		List<KeyValue<String, PendingDigest>> found = new ArrayList<>();
		try (KeyValueIterator<String, PendingDigest> entries = digests
			.prefixScan(PartitionKeys.user(tenant, userId) + PartitionKeys.SEPARATOR, KEY_PREFIX)) {
			entries.forEachRemaining(found::add);
		}
		int open = 0;
		for (KeyValue<String, PendingDigest> entry : found) {
			digests.delete(entry.key);
			if (entry.value != null && entry.value.isOpen()) {
				open++;
			}
		}
		return open;
	}

	/**
	 * The outcome of {@link #collect}.
	 *
	 * @param due when the digest goes out, {@code null} when the event went out in the
	 * user's last digest already
	 * @param added whether the event was added (not already there)
	 */
	record Collected(@Nullable Instant due, boolean added) {
	}

}
