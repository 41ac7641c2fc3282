package io.herald.gateway.inbox;

import io.herald.support.redis.LuaScripts;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Moves users' read and acknowledged cursors with {@code inbox-cursor.lua}. A cursor only
 * moves forward and never past the last seq handed out, so marks from several devices at
 * once never conflict: the highest wins. Moving the read cursor tells every device of the
 * user the new unread count, on whichever node it is connected ({@link LiveDispatch}).
 */
@Component
public class InboxCursors {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> MOVE = LuaScripts.load(List.class, "inbox-lib.lua", "inbox-cursor.lua");

	private static final RedisScript<Long> RESTORE = LuaScripts.load("inbox-cursor-restore.lua", Long.class);

	/**
	 * The numbers {@code inbox-cursor.lua} replies with before the ids of the nodes to
	 * tell.
	 */
	private static final int MOVE_REPLY_SIZE = 5;

	private final StringRedisTemplate redis;

	private final InboxProperties properties;

	private final LiveDispatch live;

	InboxCursors(StringRedisTemplate redis, InboxProperties properties, LiveDispatch live) {
		this.redis = redis;
		this.properties = properties;
		this.live = live;
	}

	/**
	 * Moves a user's cursor up to {@code upTo}, if that is forward; a read cursor that
	 * moved tells every connection of the user the new unread count.
	 */
	public Move advance(String tenant, String userId, Cursor cursor, long upTo) {
		InboxKeys keys = InboxKeys.of(tenant, userId);
		List<?> reply = this.redis.execute(MOVE, keys.scriptKeys(), cursor.field, Long.toString(Math.max(0, upTo)),
				Integer.toString(this.properties.maxLength()), Long.toString(this.properties.retentionSeconds()),
				Long.toString(this.properties.counterTtlSeconds()), Long.toString(this.properties.ttlRefreshSeconds()),
				Long.toString(this.properties.dedupWindowSeconds()));
		Move move = new Move(number(reply, 0), number(reply, 1), number(reply, 2), number(reply, 3), number(reply, 4));
		if (reply.size() > MOVE_REPLY_SIZE) {
			this.live.send(List
				.of(new LiveDispatch.Addressed(tenant, userId, LiveMessage.Unread.of(move.unread(), move.readUpTo()),
						LiveDispatch.nodeIds(reply, MOVE_REPLY_SIZE))));
		}
		return move;
	}

	/**
	 * Undoes a move whose follow-up failed, unless the cursor moved on since (then the
	 * later move stands, and covers this one).
	 */
	public void restore(String tenant, String userId, Cursor cursor, Move move) {
		this.redis.execute(RESTORE, List.of(InboxKeys.of(tenant, userId).cursors()), cursor.field,
				Long.toString(move.after()), Long.toString(move.before()));
	}

	private static long number(List<?> reply, int index) {
		return ((Number) reply.get(index)).longValue();
	}

	/** The cursors of an inbox. */
	public enum Cursor {

		/** Everything up to it was read by the user. */
		READ("read"),

		/** Everything up to it reached a device of the user. */
		ACK("ack");

		private final String field;

		Cursor(String field) {
			this.field = field;
		}

	}

	/**
	 * What moving a cursor did.
	 *
	 * @param before the cursor before
	 * @param after the cursor now
	 * @param lastSeq the newest seq of the inbox
	 * @param unread the kept notifications after the read cursor; 0 for a move of the ack
	 * cursor, which does not count them
	 * @param readUpTo the read cursor now; 0 for a move of the ack cursor
	 */
	public record Move(long before, long after, long lastSeq, long unread, long readUpTo) {

		/** Whether the cursor moved. */
		public boolean moved() {
			return this.after > this.before;
		}

	}

}
