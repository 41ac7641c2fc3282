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
	 * The notifications after {@code afterSeq}, oldest first, at most {@code limit} of them.
	 * Compare the first entry's seq with {@code afterSeq + 1} to detect trimmed history.
	 */
	public List<InboxEntry> since(String tenant, String userId, long afterSeq, int limit) {
		return after(tenant, userId, afterSeq, limit, this::entry);
	}

	/** As {@link #since}, as the frames a client receives. */
	public List<NotificationFrame> framesSince(String tenant, String userId, long afterSeq, int limit) {
		return after(tenant, userId, afterSeq, limit, (record) -> new NotificationFrame(seq(record),
				NotificationFrame.frame(seq(record), StoredNotifications.servable(json(record)))));
	}

	/** The notifications before {@code beforeSeq}, newest first, at most {@code limit} of them. */
	public List<InboxEntry> before(String tenant, String userId, long beforeSeq, int limit) {
		if (limit <= 0 || beforeSeq <= 1) {
			return List.of();
		}
		Range<String> range = Range.leftUnbounded(Range.Bound.inclusive(InboxKeys.entryId(beforeSeq - 1)));
		List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
			.reverseRange(InboxKeys.of(tenant, userId).stream(), range, Limit.limit().count(limit));
		return readable(records, this::entry);
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

	private <T> List<T> after(String tenant, String userId, long afterSeq, int limit,
			Function<MapRecord<String, Object, Object>, T> mapper) {
		if (limit <= 0) {
			return List.of();
		}
		Range<String> range = Range.rightUnbounded(Range.Bound.inclusive(InboxKeys.entryId(Math.max(0, afterSeq) + 1)));
		List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
			.range(InboxKeys.of(tenant, userId).stream(), range, Limit.limit().count(limit));
		return readable(records, mapper);
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
