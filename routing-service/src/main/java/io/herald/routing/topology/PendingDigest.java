package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.JsonCodec;
import io.herald.events.PartitionKeys;
import io.herald.events.Versioned;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The digest of one user and category pattern: the value of
 * {@link RoutingStores#DIGESTS}, keyed {@code tenant|userId|pattern} (docs/adr/036).
 * While open ({@link #isOpen()}) it collects items until {@code due}; once flushed it
 * keeps only the ids it went out with ({@code flushed}) until {@code due}, so that an
 * event routed again after a crash (at least once, docs/adr/013) is not collected into
 * the next digest a second time.
 *
 * @param schemaVersion the version of this record's shape
 * @param tenant the tenant
 * @param userId the recipient
 * @param pattern the category pattern collected
 * @param template the template the digest is rendered with
 * @param windowStart when the first item came, {@code null} once flushed
 * @param due when the digest goes out; once flushed, when it is forgotten
 * @param items the items in the order they came, at most {@link #MAX_ITEMS}
 * @param flushed the event ids of the digest that went out last
 * @param traceparent the trace context of the first item's routing, continued by the
 * flush
 * @param sending the digests of this user and pattern that went out and whose outputs are
 * not yet certainly out, each as it was sent and {@code due} at the time it went out
 * (docs/adr/036): a crash before they settle makes the next instance send them again
 */
record PendingDigest(int schemaVersion, String tenant, String userId, String pattern, String template,
		@Nullable Instant windowStart, Instant due, List<DigestItem> items, Set<String> flushed,
		@Nullable String traceparent, List<PendingDigest> sending) implements Versioned {

	static final int SCHEMA_VERSION = 1;

	static final JsonCodec<PendingDigest> CODEC = new JsonCodec<>(PendingDigest.class, SCHEMA_VERSION);

	/**
	 * Most items one digest holds; the one that reaches it makes the digest due at once,
	 * and the next opens another.
	 */
	static final int MAX_ITEMS = DeliverNotification.MAX_DIGEST_ITEMS;

	/** Most items a digest lists with their texts; the others are counted. */
	static final int MAX_LISTED = 100;

	PendingDigest {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(pattern, "pattern");
		Objects.requireNonNull(template, "template");
		Objects.requireNonNull(due, "due");
		items = (items != null) ? List.copyOf(items) : List.of();
		flushed = (flushed != null) ? Set.copyOf(flushed) : Set.of();
		sending = (sending != null) ? List.copyOf(sending) : List.of();
	}

	/** Whether the digest is collecting. */
	boolean isOpen() {
		return this.windowStart != null;
	}

	/** Whether the digest holds an event, or went out with it last. */
	boolean has(String eventId) {
		if (this.flushed.contains(eventId)) {
			return true;
		}
		for (DigestItem item : this.items) {
			if (item.eventId().equals(eventId)) {
				return true;
			}
		}
		return false;
	}

	/** This digest with one more item. */
	PendingDigest with(DigestItem item) {
		List<DigestItem> items = new ArrayList<>(this.items);
		items.add(item);
		return new PendingDigest(this.schemaVersion, this.tenant, this.userId, this.pattern, this.template,
				this.windowStart, this.due, items, this.flushed, this.traceparent, this.sending);
	}

	/** This digest due at another time. */
	PendingDigest dueAt(Instant due) {
		return new PendingDigest(this.schemaVersion, this.tenant, this.userId, this.pattern, this.template,
				this.windowStart, due, this.items, this.flushed, this.traceparent, this.sending);
	}

	/** This digest with other digests not yet settled. */
	PendingDigest sending(List<PendingDigest> sending) {
		return new PendingDigest(this.schemaVersion, this.tenant, this.userId, this.pattern, this.template,
				this.windowStart, this.due, this.items, this.flushed, this.traceparent, sending);
	}

	/**
	 * What is kept of the digest once it went out at {@code now}, until {@code forgetAt}:
	 * its ids, and the digest itself among those {@linkplain #sending sending}.
	 */
	PendingDigest flushed(Instant now, Instant forgetAt) {
		Set<String> ids = new HashSet<>();
		this.items.forEach((item) -> ids.add(item.eventId()));
		List<PendingDigest> sending = new ArrayList<>(this.sending);
		sending.add(dueAt(now).sending(List.of()));
		return new PendingDigest(this.schemaVersion, this.tenant, this.userId, this.pattern, this.template, null,
				forgetAt, List.of(), ids, null, sending);
	}

	/** The store key: {@code tenant|userId|pattern}. */
	String key() {
		return key(this.tenant, this.userId, this.pattern);
	}

	static String key(String tenant, String userId, String pattern) {
		return PartitionKeys.user(tenant, userId) + PartitionKeys.SEPARATOR + pattern;
	}

	/** The key in {@link RoutingStores#DIGESTS_DUE}: due time first. */
	String dueKey() {
		return HeldDelivery.dueKeyPrefix(this.due.toEpochMilli()) + PartitionKeys.SEPARATOR + key();
	}

	/**
	 * The id of the digest, a pure function of tenant, user, pattern and window start, so
	 * that a digest sent again after a crash carries the same id (and notification ids)
	 * and the send ledger sends it once.
	 */
	String digestId() {
		String name = "digest|" + key() + '|' + Objects.requireNonNull(this.windowStart).toEpochMilli();
		return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
	}

	/**
	 * One notification collected.
	 *
	 * @param eventId the event
	 * @param category its type
	 * @param title its title for the user, as rendered when collected
	 * @param body its body, likewise, at most {@link #MAX_BODY} characters
	 * @param channels the channels it is digested for
	 * @param at when it was collected
	 */
	record DigestItem(String eventId, String category, String title, String body, Set<Channel> channels, Instant at) {

		/** The longest title kept. */
		static final int MAX_TITLE = 200;

		/** The longest body kept. */
		static final int MAX_BODY = 500;

		DigestItem {
			Objects.requireNonNull(eventId, "eventId");
			Objects.requireNonNull(category, "category");
			title = clip(Objects.requireNonNullElse(title, ""), MAX_TITLE);
			body = clip(Objects.requireNonNullElse(body, ""), MAX_BODY);
			channels = Channel.setOf(channels);
			Objects.requireNonNull(at, "at");
		}

		private static String clip(String text, int max) {
			if (text.length() <= max) {
				return text;
			}
			int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
			return text.substring(0, end) + "…";
		}

	}

}
