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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads users' inboxes. Entries come in seq order; the seqs of one user start at 1 and have no
 * gaps, but the oldest ones may have been trimmed by length or age ({@link #state} trims and
 * reports the oldest kept seq), and an inbox without an append for {@link InboxProperties#retention()}
 * is gone altogether.
 *
 * <p>Every entry is served within the limits of {@link StoredNotifications}: one that breaks them
 * (written by an older version) is served with its {@code data} replaced by an empty object, one
 * that is no notification at all is skipped, so that no single entry fails a page or a replay.
 */
@Component
public class Inbox {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> HEAD = LuaScripts.load(List.class, "inbox-lib.lua", "inbox-head.lua");

	private final StringRedisTemplate redis;

	/** Unreadable entries logged so far, by stream and entry id: each is logged once per node. */
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
	 * Where the user's inbox stands, after dropping what is past its length and age bounds, so
	 * that what the other methods read next is within them.
	 */
	public InboxState state(String tenant, String userId) {
		List<?> reply = this.redis.execute(HEAD, InboxKeys.of(tenant, userId).scriptKeys(),
				Integer.toString(this.properties.maxLength()), Long.toString(this.properties.retentionSeconds()),
				Long.toString(this.properties.dedupWindowSeconds()));
		return new InboxState(number(reply, 0), number(reply, 1), number(reply, 2), number(reply, 3),
				number(reply, 4));
	}

	/**
	 * The notifications after {@code afterSeq} that are still shown (neither retracted nor a
	 * retraction, docs/adr/029), oldest first, among the next {@code limit} entries.
	 */
	public List<InboxEntry> since(String tenant, String userId, long afterSeq, int limit) {
		List<MapRecord<String, Object, Object>> records = after(tenant, userId, afterSeq, limit);
		return readable(shown(tenant, userId, records), this::entry);
	}

	/**
	 * The frames of the entries after {@code afterSeq}, oldest first, at most {@code limit} of
	 * them: a notification's {@code notification} frame, or a {@code retracted} frame for a
	 * retraction and, in its place, for a notification retracted since, so the seqs have no gap.
	 * Compare the first frame's seq with {@code afterSeq + 1} to detect trimmed history.
	 */
	public List<NotificationFrame> framesSince(String tenant, String userId, long afterSeq, int limit) {
		List<MapRecord<String, Object, Object>> records = after(tenant, userId, afterSeq, limit);
		Set<Long> hidden = hidden(tenant, userId, records);
		return readable(records, (record) -> {
			long seq = seq(record);
			String retracted = retractedId(record);
			if (retracted != null) {
				return new NotificationFrame(seq, NotificationFrame.retracted(seq, retracted));
			}
			if (hidden.contains(seq)) {
				return new NotificationFrame(seq,
						NotificationFrame.retracted(seq, StoredNotifications.read(json(record)).id()));
			}
			return new NotificationFrame(seq, NotificationFrame.frame(seq, StoredNotifications.servable(json(record))));
		});
	}

	/**
	 * The notifications before {@code beforeSeq} that are still shown, newest first, at most
	 * {@code limit} of them: retracted notifications and retractions are passed over (docs/adr/029).
	 */
	public List<InboxEntry> before(String tenant, String userId, long beforeSeq, int limit) {
		List<InboxEntry> entries = new ArrayList<>();
		long before = beforeSeq;
		while (entries.size() < limit && before > 1) {
			int wanted = limit - entries.size();
			Range<String> range = Range.leftUnbounded(Range.Bound.inclusive(InboxKeys.entryId(before - 1)));
			List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
				.reverseRange(InboxKeys.of(tenant, userId).stream(), range, Limit.limit().count(wanted));
			if (records == null || records.isEmpty()) {
				break;
			}
			entries.addAll(readable(shown(tenant, userId, records), this::entry));
			before = seq(records.get(records.size() - 1));
			if (records.size() < wanted) {
				break;
			}
		}
		return entries;
	}

	/** The records that are neither a retraction nor retracted. */
	private List<MapRecord<String, Object, Object>> shown(String tenant, String userId,
			@Nullable List<MapRecord<String, Object, Object>> records) {
		if (records == null || records.isEmpty()) {
			return List.of();
		}
		Set<Long> hidden = hidden(tenant, userId, records);
		List<MapRecord<String, Object, Object>> shown = new ArrayList<>(records.size());
		for (MapRecord<String, Object, Object> record : records) {
			if (retractedId(record) == null && !hidden.contains(seq(record))) {
				shown.add(record);
			}
		}
		return shown;
	}

	/**
	 * The seqs among the records' that are retracted or a retraction: one read of the user's
	 * hidden set over the records' range, none when the inbox never had a retraction.
	 */
	private Set<Long> hidden(String tenant, String userId, @Nullable List<MapRecord<String, Object, Object>> records) {
		if (records == null || records.isEmpty()) {
			return Set.of();
		}
		long first = seq(records.get(0));
		long last = seq(records.get(records.size() - 1));
		Set<String> members = this.redis.opsForZSet()
			.rangeByScore(InboxKeys.of(tenant, userId).hidden(), Math.min(first, last), Math.max(first, last));
		if (members == null || members.isEmpty()) {
			return Set.of();
		}
		Set<Long> seqs = new HashSet<>();
		members.forEach((member) -> seqs.add(Long.parseLong(member)));
		return seqs;
	}

	/** The notification id a retraction entry retracts, {@code null} for any other entry. */
	private static @Nullable String retractedId(MapRecord<String, Object, Object> record) {
		return (String) record.getValue().get("r");
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

	private List<MapRecord<String, Object, Object>> after(String tenant, String userId, long afterSeq, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		Range<String> range = Range.rightUnbounded(Range.Bound.inclusive(InboxKeys.entryId(Math.max(0, afterSeq) + 1)));
		List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
			.range(InboxKeys.of(tenant, userId).stream(), range, Limit.limit().count(limit));
		return (records != null) ? records : List.of();
	}

	/**
	 * The entries mapped, without those that are no notification at all (written by hand, or
	 * corrupted): one of those must not fail a whole page or replay. Each is counted in
	 * {@code herald.gateway.inbox.unreadable} and logged at WARN once per node.
	 */
	private <T> List<T> readable(@Nullable List<MapRecord<String, Object, Object>> records,
			Function<MapRecord<String, Object, Object>, T> mapper) {
		if (records == null) {
			return List.of();
		}
		List<T> readable = new ArrayList<>(records.size());
		for (MapRecord<String, Object, Object> record : records) {
			try {
				readable.add(mapper.apply(record));
			}
			catch (RuntimeException ex) {
				this.unreadable.increment();
				if (this.reported.size() < MAX_REPORTED && this.reported.add(record.getStream() + "/" + record.getId())) {
					logger.warn("Skipping inbox entry {} of {}, it is no notification: {}", record.getId(),
							record.getStream(), ex.toString());
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

	private static String json(MapRecord<String, Object, Object> record) {
		return (String) record.getValue().get("n");
	}

	private InboxEntry entry(MapRecord<String, Object, Object> record) {
		return new InboxEntry(seq(record), StoredNotifications.read(json(record)));
	}

}
