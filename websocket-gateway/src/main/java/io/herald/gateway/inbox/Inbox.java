package io.herald.gateway.inbox;

import io.herald.events.JsonCodec;
import io.herald.support.redis.LuaScripts;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.function.Function;

/**
 * Reads users' inboxes. Entries come in seq order; the seqs of one user start at 1 and have no
 * gaps, but the oldest ones may have been trimmed by length or age ({@link #state} trims and
 * reports the oldest kept seq), and an inbox without an append for {@link InboxProperties#retention()}
 * is gone altogether.
 */
@Component
public class Inbox {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> HEAD = LuaScripts.load(List.class, "inbox-lib.lua", "inbox-head.lua");

	private final StringRedisTemplate redis;

	private final InboxProperties properties;

	Inbox(StringRedisTemplate redis, InboxProperties properties) {
		this.redis = redis;
		this.properties = properties;
	}

	/**
	 * Where the user's inbox stands, after dropping what is past its length and age bounds, so
	 * that what the other methods read next is within them.
	 */
	public InboxState state(String tenant, String userId) {
		List<?> reply = this.redis.execute(HEAD, InboxKeys.of(tenant, userId).scriptKeys(),
				Integer.toString(this.properties.maxLength()), Long.toString(retentionSeconds(this.properties)));
		return new InboxState(number(reply, 0), number(reply, 1), number(reply, 2), number(reply, 3),
				number(reply, 4));
	}

	/**
	 * The notifications after {@code afterSeq}, oldest first, at most {@code limit} of them.
	 * Compare the first entry's seq with {@code afterSeq + 1} to detect trimmed history.
	 */
	public List<InboxEntry> since(String tenant, String userId, long afterSeq, int limit) {
		return after(tenant, userId, afterSeq, limit, Inbox::entry);
	}

	/** As {@link #since}, as the frames a client receives. */
	public List<NotificationFrame> framesSince(String tenant, String userId, long afterSeq, int limit) {
		return after(tenant, userId, afterSeq, limit,
				(record) -> new NotificationFrame(seq(record), NotificationFrame.frame(seq(record), json(record))));
	}

	/** The notifications before {@code beforeSeq}, newest first, at most {@code limit} of them. */
	public List<InboxEntry> before(String tenant, String userId, long beforeSeq, int limit) {
		if (limit <= 0 || beforeSeq <= 1) {
			return List.of();
		}
		Range<String> range = Range.leftUnbounded(Range.Bound.inclusive(InboxKeys.entryId(beforeSeq - 1)));
		List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
			.reverseRange(InboxKeys.of(tenant, userId).stream(), range, Limit.limit().count(limit));
		return (records != null) ? records.stream().map(Inbox::entry).toList() : List.of();
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
		return (records != null) ? records.stream().map(mapper).toList() : List.of();
	}

	static long retentionSeconds(InboxProperties properties) {
		return Math.max(1, properties.retention().toSeconds());
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

	private static InboxEntry entry(MapRecord<String, Object, Object> record) {
		return new InboxEntry(seq(record), JsonCodec.MAPPER.readValue(json(record), InboxNotification.class));
	}

}
