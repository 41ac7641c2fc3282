package io.herald.gateway.inbox;

import io.herald.support.redis.LuaScripts;
import io.herald.support.redis.NativeRedis;
import io.herald.support.redis.ScriptPipeline;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Appends notifications to users' inboxes with {@code inbox-append.lua}: an atomic append
 * per notification that is idempotent by notification id, hands out the user's next
 * gapless seq, trims the history to {@link InboxProperties#maxLength()} and
 * {@link InboxProperties#retention()}, keeps the TTLs of every key of the inbox (the seq
 * counter's included) ahead of those bounds and replies with the nodes that hold a
 * connection of the user, which the notification frame (with its seq and the append's
 * trace context) is then sent to ({@link LiveDispatch}). The script reads the stream only
 * when something is past a bound: the oldest kept seq and its append time are kept beside
 * the cursors. On a standalone Redis one script call appends up to
 * {@value #MAX_APPENDS_PER_CALL} notifications, of as many users: a fan-out's appends
 * cost Redis tens of commands, not thousands. On a Redis Cluster, where each user's keys
 * are in a slot of their own, each call appends one.
 *
 * <p>
 * With {@link InboxProperties#syncReplicas()} above 0, each pipeline ends with Redis'
 * {@code WAIT}, and nothing of it goes live until enough replicas have it: what a client
 * saw survives a failover to such a replica (docs/adr/021).
 */
@Component
class InboxStore {

	/**
	 * The most appends sent as one pipeline: its replies are awaited within the Redis
	 * command timeout, which a fan-out's tens of thousands of appends in one poll would
	 * exceed.
	 */
	static final int MAX_PIPELINE = 1_000;

	/**
	 * The most appends one script call makes on a standalone Redis: a call holds Redis
	 * for its whole length, which the critical lane's appends wait behind.
	 */
	static final int MAX_APPENDS_PER_CALL = 50;

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> APPEND = LuaScripts.load(List.class, "inbox-lib.lua", "inbox-append.lua");

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> RETRACT = LuaScripts.load(List.class, "inbox-lib.lua", "inbox-retract.lua");

	/**
	 * The numbers {@code inbox-retract.lua} replies with before the ids of the nodes to
	 * tell.
	 */
	private static final int RETRACT_REPLY_SIZE = 5;

	/**
	 * The numbers {@code inbox-append.lua} replies with for each append, before the ids
	 * of the nodes to tell.
	 */
	private static final int APPEND_REPLY_SIZE = 2;

	private final StringRedisTemplate redis;

	private final InboxProperties properties;

	private final ScriptPipeline pipeline;

	private final LiveDispatch live;

	private final InboxMetrics metrics;

	/** How many appends one script call makes at most: one on a Redis Cluster. */
	private final int appendsPerCall;

	InboxStore(StringRedisTemplate redis, InboxProperties properties, LiveDispatch live, InboxMetrics metrics) {
		this.redis = redis;
		this.properties = properties;
		this.live = live;
		this.metrics = metrics;
		this.pipeline = new ScriptPipeline(redis, APPEND, RETRACT);
		this.appendsPerCall = NativeRedis.isCluster(redis) ? 1 : MAX_APPENDS_PER_CALL;
	}

	/**
	 * Appends notifications in the given order, in pipelines of at most
	 * {@value #MAX_PIPELINE}, and after each pipeline sends the notifications to the
	 * users' connections, on every node that holds one. Redis runs a connection's
	 * commands in order, and the pipelines run one after the other, so several
	 * notifications of one user get their seqs in list order and go live in that order. A
	 * notification appended before is sent again (its first sending may have been lost
	 * with a failed batch; a session drops a seq it has). If Redis lacked the script, a
	 * pipeline runs again once it is loaded (appends are idempotent).
	 * @return one result per notification, in the same order
	 * @throws DataAccessException when Redis cannot be reached or does not answer within
	 * the command timeout; retrying appends nothing twice
	 */
	List<AppendResult> append(List<Append> appends) {
		List<AppendResult> results = new ArrayList<>(appends.size());
		for (int from = 0; from < appends.size(); from += MAX_PIPELINE) {
			results.addAll(appendPipelined(appends.subList(from, Math.min(appends.size(), from + MAX_PIPELINE))));
		}
		return results;
	}

	private List<AppendResult> appendPipelined(List<Append> appends) {
		String maxLength = Integer.toString(this.properties.maxLength());
		String retention = Long.toString(this.properties.retentionSeconds());
		String counterTtl = Long.toString(this.properties.counterTtlSeconds());
		String ttlRefresh = Long.toString(this.properties.ttlRefreshSeconds());
		String dedupWindow = Long.toString(this.properties.dedupWindowSeconds());
		int replicas = this.properties.syncReplicas();
		ScriptPipeline.Replicated replicated = this.pipeline.run((calls) -> {
			for (int from = 0; from < appends.size(); from += this.appendsPerCall) {
				List<Append> call = appends.subList(from, Math.min(appends.size(), from + this.appendsPerCall));
				List<String> keys = new ArrayList<>(7 * call.size());
				String[] args = new String[5 + 2 * call.size()];
				args[0] = maxLength;
				args[1] = retention;
				args[2] = counterTtl;
				args[3] = ttlRefresh;
				args[4] = dedupWindow;
				int i = 5;
				for (Append append : call) {
					keys.addAll(InboxKeys.of(append.tenant(), append.userId()).scriptKeys());
					args[i++] = append.notificationId();
					args[i++] = append.json();
				}
				calls.call(APPEND, keys, args);
			}
		}, replicas, this.properties.syncTimeout());
		if (replicas > 0) {
			requireReplicated(replicated.replicas(), replicas);
		}
		List<@Nullable Object> replies = new ArrayList<>(appends.size());
		for (Object reply : replicated.replies()) {
			if (!(reply instanceof List<?> callReplies)) {
				throw new IllegalStateException("inbox-append.lua replied " + reply);
			}
			replies.addAll(callReplies);
		}
		if (replies.size() != appends.size()) {
			throw new IllegalStateException(
					"inbox-append.lua replied for " + replies.size() + " of " + appends.size() + " appends");
		}
		List<AppendResult> results = new ArrayList<>(replies.size());
		List<LiveDispatch.Addressed> messages = new ArrayList<>(replies.size());
		for (int i = 0; i < replies.size(); i++) {
			if (!(replies.get(i) instanceof List<?> reply) || reply.size() < APPEND_REPLY_SIZE
					|| !(reply.get(0) instanceof Number seq) || !(reply.get(1) instanceof Number appendedAt)) {
				throw new IllegalStateException("inbox-append.lua replied " + replies.get(i));
			}
			AppendResult result = AppendResult.fromScriptReply(seq.longValue());
			results.add(result);
			if (reply.size() > APPEND_REPLY_SIZE) {
				Append append = appends.get(i);
				messages.add(new LiveDispatch.Addressed(
						append.tenant(), append.userId(), LiveMessage.Notification.of(result.seq(),
								appendedAt.longValue(), append.json(), append.traceparent()),
						LiveDispatch.nodeIds(reply, APPEND_REPLY_SIZE)));
			}
		}
		this.live.send(messages);
		return results;
	}

	/**
	 * Retracts notifications from their users' inboxes, in the given order, in one
	 * pipeline ({@code inbox-retract.lua}, docs/adr/029): each one the inbox holds gets a
	 * {@code retracted} entry with the user's next seq, and every device of the user gets
	 * its {@code retracted} frame and, when the notification was unread, an
	 * {@code unread} frame. A retraction made before (read again after a crash) and one
	 * of a notification the inbox does not hold return at once: no seq, no entry, no
	 * frame. A device that missed the frame of a retraction made before (its batch failed
	 * after the script) finds the retraction's entry in the stream at its next gap or
	 * resume. Waits for replicas as {@link #append} does.
	 * @return one result per retraction, in the same order
	 * @throws DataAccessException when Redis cannot be reached; retrying retracts nothing
	 * twice
	 */
	List<RetractResult> retract(List<Retract> retractions) {
		if (retractions.isEmpty()) {
			return List.of();
		}
		String maxLength = Integer.toString(this.properties.maxLength());
		String retention = Long.toString(this.properties.retentionSeconds());
		String ttlRefresh = Long.toString(this.properties.ttlRefreshSeconds());
		String dedupWindow = Long.toString(this.properties.dedupWindowSeconds());
		int replicas = this.properties.syncReplicas();
		ScriptPipeline.Replicated replicated = this.pipeline.run((calls) -> {
			for (Retract retract : retractions) {
				calls.call(RETRACT, InboxKeys.of(retract.tenant(), retract.userId()).scriptKeys(),
						retract.notificationId(), maxLength, retention, ttlRefresh, dedupWindow);
			}
		}, replicas, this.properties.syncTimeout());
		if (replicas > 0) {
			requireReplicated(replicated.replicas(), replicas);
		}
		List<@Nullable Object> replies = replicated.replies();
		List<RetractResult> results = new ArrayList<>(replies.size());
		List<LiveDispatch.Addressed> messages = new ArrayList<>();
		for (int i = 0; i < replies.size(); i++) {
			if (!(replies.get(i) instanceof List<?> reply) || reply.isEmpty()
					|| !(reply.get(0) instanceof Number seq)) {
				throw new IllegalStateException("inbox-retract.lua replied " + replies.get(i));
			}
			if (seq.longValue() <= 0) {
				// Retracted before (the seq of its entry, negated), or not held (0):
				// nothing changed, and nothing is sent.
				results.add(new RetractResult(-seq.longValue(), false));
				continue;
			}
			if (reply.size() < RETRACT_REPLY_SIZE) {
				throw new IllegalStateException("inbox-retract.lua replied " + reply);
			}
			Retract retract = retractions.get(i);
			long retractSeq = seq.longValue();
			results.add(new RetractResult(retractSeq, true));
			long appendedAt = ((Number) reply.get(1)).longValue();
			long retracted = ((Number) reply.get(2)).longValue();
			long unread = ((Number) reply.get(3)).longValue();
			long readUpTo = ((Number) reply.get(4)).longValue();
			if (reply.size() > RETRACT_REPLY_SIZE) {
				List<String> nodes = LiveDispatch.nodeIds(reply, RETRACT_REPLY_SIZE);
				messages.add(new LiveDispatch.Addressed(retract.tenant(), retract.userId(),
						new LiveMessage.Notification(retractSeq, appendedAt,
								NotificationFrame.retracted(retractSeq, retract.notificationId()),
								retract.traceparent()),
						nodes));
				if (retracted > readUpTo) {
					messages.add(new LiveDispatch.Addressed(retract.tenant(), retract.userId(),
							LiveMessage.Unread.of(unread, readUpTo), nodes));
				}
			}
		}
		this.live.send(messages);
		return results;
	}

	/**
	 * Fails the batch unless enough replicas have its appends: nothing of it is then sent
	 * live, and the writer fails the batch, which is read again and appended again
	 * (idempotently) until they do.
	 */
	private void requireReplicated(long acknowledged, int replicas) {
		this.metrics.replication((acknowledged >= replicas) ? "replicated" : "timeout");
		if (acknowledged < replicas) {
			throw new TransientDataAccessResourceException("Only " + Math.max(0, acknowledged) + " of " + replicas
					+ " Redis replicas acknowledged the appends within " + this.properties.syncTimeout().toMillis()
					+ " ms; the batch is retried");
		}
	}

	/**
	 * Deletes everything of a user's inbox: history, notification ids, cursors and the
	 * seq counter, and tells the user's open connections, on every node, which start
	 * over. A user created again later starts a new inbox at seq 1; a client still
	 * holding an old seq gets {@code reset}.
	 * @return whether there was anything to delete
	 */
	boolean erase(String tenant, String userId) {
		InboxKeys keys = InboxKeys.of(tenant, userId);
		Long deleted = this.redis
			.delete(List.of(keys.stream(), keys.seq(), keys.ids(), keys.cursors(), keys.trimmed(), keys.hidden()));
		Set<String> sessions = this.redis.opsForZSet().range(keys.presence(), 0, -1);
		if (sessions != null && !sessions.isEmpty()) {
			this.live.send(List.of(new LiveDispatch.Addressed(tenant, userId, new LiveMessage.Erased(),
					LiveDispatch.nodesOf(sessions))));
		}
		return deleted != null && deleted > 0;
	}

	/**
	 * One notification for one user's inbox.
	 *
	 * @param tenant the user's tenant
	 * @param userId the user
	 * @param notificationId the notification's id, which the append is idempotent by
	 * @param json the notification as the inbox keeps it ({@link InboxNotification} as
	 * JSON, within the limits of {@link StoredNotifications})
	 * @param traceparent the trace context of the append, for the live message;
	 * {@code null} for none
	 */
	record Append(String tenant, String userId, String notificationId, String json, @Nullable String traceparent) {
	}

	/**
	 * The retraction of one notification from one user's inbox.
	 *
	 * @param notificationId the notification's id
	 * @param traceparent the trace context of the retraction, for the live message;
	 * {@code null} for none
	 */
	record Retract(String tenant, String userId, String notificationId, @Nullable String traceparent) {
	}

	/**
	 * What became of a retraction.
	 *
	 * @param seq the seq of the retraction's entry, made now or before; 0 when the inbox
	 * did not hold the notification
	 * @param retracted whether it was retracted now (not before, and not absent)
	 */
	record RetractResult(long seq, boolean retracted) {
	}

}
