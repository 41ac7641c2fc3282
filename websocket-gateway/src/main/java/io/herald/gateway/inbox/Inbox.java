package io.herald.gateway.inbox;

import io.herald.events.JsonCodec;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Reads users' inboxes. Entries come in seq order; the seqs of one user start at 1 and have no
 * gaps, but the oldest ones may have been trimmed ({@link #oldestSeq}), and an inbox without an
 * append for {@link InboxProperties#retention()} is gone altogether.
 */
@Component
public class Inbox {

	private final StringRedisTemplate redis;

	Inbox(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * The notifications after {@code afterSeq}, oldest first, at most {@code limit} of them.
	 * Compare the first entry's seq with {@code afterSeq + 1} to detect trimmed history.
	 */
	public List<InboxEntry> since(String tenant, String userId, long afterSeq, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		Range<String> range = Range.rightUnbounded(Range.Bound.inclusive(InboxKeys.entryId(Math.max(0, afterSeq) + 1)));
		List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
			.range(InboxKeys.of(tenant, userId).stream(), range, Limit.limit().count(limit));
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

	private static long edge(List<MapRecord<String, Object, Object>> records) {
		return (records == null || records.isEmpty()) ? 0 : InboxKeys.seqOf(records.get(0).getId().getValue());
	}

	private static InboxEntry entry(MapRecord<String, Object, Object> record) {
		String json = (String) record.getValue().get("n");
		return new InboxEntry(InboxKeys.seqOf(record.getId().getValue()),
				JsonCodec.MAPPER.readValue(json, InboxNotification.class));
	}

}
