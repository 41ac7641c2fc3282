package io.herald.gateway.inbox;

import io.herald.support.redis.LuaScripts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads users' inboxes. Entries come in seq order; the seqs of one user start at 1 and
 * have no gaps, but the oldest ones may have been trimmed by length or age
 * ({@link #state} trims and reports the oldest kept seq), and an inbox without an append
 * for {@link InboxProperties#retention()} is gone altogether.
 *
 * <p>
 * Every entry is served within the limits of {@link StoredNotifications}: one that breaks
 * them (written by an older version) is served with its {@code data} replaced by an empty
 * object, one that is no notification at all is skipped, so that no single entry fails a
 * page or a replay.
 */
@Component
public class Inbox {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> HEAD = LuaScripts.load(List.class, "inbox-lib.lua", "inbox-head.lua");

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> READ = LuaScripts.load("inbox-read.lua", List.class);

	/**
	 * The modes of {@code inbox-read.lua}: every entry after a seq, the shown ones before
	 * a seq.
	 */
	private static final String AFTER = "after";

	private static final String BEFORE = "before";

	private final StringRedisTemplate redis;

	/**
	 * Unreadable entries logged so far, by stream and entry id: each is logged once per
	 * node.
	 */
	private static final int MAX_REPORTED = 10_000;

	private static final Logger logger = LoggerFactory.getLogger(Inbox.class);

	private final InboxProperties properties;

	private final Counter unreadable;

	private final Set<String> reported = ConcurrentHashMap.newKeySet();

	Inbox(StringRedisTemplate redis, InboxProperties properties, MeterRegistry meters) {
		this.redis = redis;
		this.properties = properties;
		this.unreadable = Counter.builder("herald.gateway.inbox.unreadable")
			.description("Inbox entries skipped by readers because they are no notification")
			.register(meters);
	}

	/**
	 * Where the user's inbox stands, after dropping what is past its length and age
	 * bounds, so that what the other methods read next is within them.
	 */
	public InboxState state(String tenant, String userId) {
		List<?> reply = this.redis.execute(HEAD, InboxKeys.of(tenant, userId).scriptKeys(),
				Integer.toString(this.properties.maxLength()), Long.toString(this.properties.retentionSeconds()),
				Long.toString(this.properties.dedupWindowSeconds()));
		return new InboxState(number(reply, 0), number(reply, 1), number(reply, 2), number(reply, 3), number(reply, 4));
	}

	/**
	 * The notifications after {@code afterSeq} that are still shown (neither retracted
	 * nor a retraction, docs/adr/029), oldest first, among the next {@code limit}
	 * entries.
	 */
	public List<InboxEntry> since(String tenant, String userId, long afterSeq, int limit) {
		List<Stored> shown = after(tenant, userId, afterSeq, limit).stream().filter(Stored::shown).toList();
		return readable(shown, Stored::entry);
	}

	/**
	 * The frames of the entries after {@code afterSeq}, oldest first, at most
	 * {@code limit} of them: a notification's {@code notification} frame, or a
	 * {@code retracted} frame for a retraction and, in its place, for a notification
	 * retracted since, so the seqs have no gap. Compare the first frame's seq with
	 * {@code afterSeq + 1} to detect trimmed history.
	 */
	public List<NotificationFrame> framesSince(String tenant, String userId, long afterSeq, int limit) {
		return readable(after(tenant, userId, afterSeq, limit), (stored) -> {
			String retracted = stored.retractedId();
			if (retracted != null) {
				return new NotificationFrame(stored.seq(), NotificationFrame.retracted(stored.seq(), retracted));
			}
			if (stored.hidden()) {
				return new NotificationFrame(stored.seq(),
						NotificationFrame.retracted(stored.seq(), StoredNotifications.read(stored.json()).id()));
			}
			return new NotificationFrame(stored.seq(),
					NotificationFrame.frame(stored.seq(), StoredNotifications.servable(stored.json())));
		});
	}

	/**
	 * The notifications before {@code beforeSeq} that are still shown, newest first, at
	 * most {@code limit} of them: retracted notifications and retractions are passed over
	 * (docs/adr/029). One script reads the entries and which of them are hidden, so that
	 * a retraction or a trim meanwhile never leaves a retracted notification on the page.
	 * Only an inbox longer than {@link InboxProperties#maxLength()} (whose trimming lags)
	 * or with entries that are no notification takes a second read.
	 */
	public List<InboxEntry> before(String tenant, String userId, long beforeSeq, int limit) {
		List<InboxEntry> entries = new ArrayList<>();
		long before = beforeSeq;
		while (entries.size() < limit && before > 1) {
			Read read = read(tenant, userId, BEFORE, before, limit - entries.size());
			entries.addAll(readable(read.entries(), Stored::entry));
			before = read.next();
		}
		return entries;
	}

	/** The newest seq in the user's inbox, {@code 0} when it is empty. */
	public long lastSeq(String tenant, String userId) {
		return edge(this.redis.opsForStream()
			.reverseRange(InboxKeys.of(tenant, userId).stream(), Range.unbounded(), Limit.limit().count(1)));
	}

	/** The oldest seq still in the user's inbox, {@code 0} when it is empty. */
	public long oldestSeq(String tenant, String userId) {
		return edge(this.redis.opsForStream()
			.range(InboxKeys.of(tenant, userId).stream(), Range.unbounded(), Limit.limit().count(1)));
	}

	private List<Stored> after(String tenant, String userId, long afterSeq, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		return read(tenant, userId, AFTER, Math.max(0, afterSeq), limit).entries();
	}

	/**
	 * One run of {@code inbox-read.lua}: the entries after a seq, or the shown ones
	 * before it, with whether each is hidden, read at one instant.
	 */
	private Read read(String tenant, String userId, String mode, long seq, int count) {
		InboxKeys keys = InboxKeys.of(tenant, userId);
		List<?> reply = this.redis.execute(READ, List.of(keys.stream(), keys.hidden()), mode, InboxKeys.entryId(seq),
				Integer.toString(count), Integer.toString(this.properties.maxLength()));
		if (reply == null || reply.isEmpty() || !(reply.get(0) instanceof Number next)) {
			throw new IllegalStateException("inbox-read.lua replied " + reply);
		}
		List<Stored> entries = new ArrayList<>(reply.size() - 1);
		for (Object element : reply.subList(1, reply.size())) {
			if (!(element instanceof List<?> entry) || entry.size() != 3 || !(entry.get(0) instanceof String id)
					|| !(entry.get(1) instanceof List<?> fields) || !(entry.get(2) instanceof Number hidden)) {
				throw new IllegalStateException("inbox-read.lua replied the entry " + element);
			}
			Map<String, String> values = new HashMap<>();
			for (int i = 0; i + 1 < fields.size(); i += 2) {
				values.put(String.valueOf(fields.get(i)), String.valueOf(fields.get(i + 1)));
			}
			entries.add(new Stored(keys.stream(), id, values, hidden.longValue() != 0));
		}
		return new Read(entries, next.longValue());
	}

	/**
	 * The entries mapped, without those that are no notification at all (written by hand,
	 * or corrupted): one of those must not fail a whole page or replay. Each is counted
	 * in {@code herald.gateway.inbox.unreadable} and logged at WARN once per node.
	 */
	private <T> List<T> readable(List<Stored> stored, Function<Stored, T> mapper) {
		List<T> readable = new ArrayList<>(stored.size());
		for (Stored entry : stored) {
			try {
				readable.add(mapper.apply(entry));
			}
			catch (RuntimeException ex) {
				this.unreadable.increment();
				if (this.reported.size() < MAX_REPORTED && this.reported.add(entry.stream() + "/" + entry.id())) {
					logger.warn("Skipping inbox entry {} of {}, it is no notification: {}", entry.id(), entry.stream(),
							ex.toString());
				}
			}
		}
		return readable;
	}

	private static long number(List<?> reply, int index) {
		return ((Number) reply.get(index)).longValue();
	}

	private static long edge(List<MapRecord<String, Object, Object>> records) {
		return (records == null || records.isEmpty()) ? 0 : seq(records.get(0));
	}

	private static long seq(MapRecord<String, Object, Object> record) {
		return InboxKeys.seqOf(record.getId().getValue());
	}

	/**
	 * What one run of {@code inbox-read.lua} read.
	 *
	 * @param entries the entries, in the order read
	 * @param next for a read before a seq, the seq to read on before when older entries
	 * may be left; {@code 0} when none are
	 */
	private record Read(List<Stored> entries, long next) {
	}

	/**
	 * One entry of an inbox's stream as stored.
	 *
	 * @param stream the stream's key
	 * @param id the entry id, {@code <seq>-0}
	 * @param fields {@code id} (the notification's, or {@code r:<id>}), {@code t} (the
	 * append time), then {@code n} (the notification's JSON) or, in a retraction,
	 * {@code r} (the id it retracts)
	 * @param hidden whether its seq is in the user's hidden set: retracted, or a
	 * retraction
	 */
	private record Stored(String stream, String id, Map<String, String> fields, boolean hidden) {

		long seq() {
			return InboxKeys.seqOf(this.id);
		}

		/**
		 * The notification id a retraction entry retracts, {@code null} for any other
		 * entry.
		 */
		@Nullable String retractedId() {
			return this.fields.get("r");
		}

		/** Whether readers list it: neither retracted nor a retraction. */
		boolean shown() {
			return !this.hidden && retractedId() == null;
		}

		/** The notification's JSON. */
		String json() {
			String json = this.fields.get("n");
			if (json == null) {
				throw new IllegalStateException("the entry holds no notification (no field 'n')");
			}
			return json;
		}

		InboxEntry entry() {
			return new InboxEntry(seq(), StoredNotifications.read(json()));
		}

	}

}
