package io.herald.gateway.session;

import io.herald.gateway.inbox.InboxKeys;
import io.herald.support.redis.LuaScripts;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisZSetCommands.ZAddArgs;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * Which connections each user holds, across all gateway nodes: a sorted set per user
 * (under the user's hash tag) of session ids scored by when they lapse. Nodes refresh
 * their sessions every heartbeat, so the sessions of a node that died lapse after
 * {@link #LEASE_HEARTBEATS} heartbeats and stop counting against the user's limit.
 */
@Component
class Presence {

	/** How many heartbeats a session's entry outlives its last refresh. */
	static final int LEASE_HEARTBEATS = 3;

	/**
	 * Sessions renewed per pipeline: small enough that one pipeline finishes well within
	 * the Redis command timeout on a busy node.
	 */
	static final int REFRESH_BATCH = 500;

	private static final RedisScript<Long> ACQUIRE = LuaScripts.load("presence-acquire.lua", Long.class);

	private final StringRedisTemplate redis;

	private final SessionProperties properties;

	private final Clock clock;

	Presence(StringRedisTemplate redis, SessionProperties properties, Clock clock) {
		this.redis = redis;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Counts a new session against its user's limit.
	 * @return {@code false} when the user already holds the most connections allowed
	 * @throws DataAccessException when Redis cannot be reached
	 */
	boolean acquire(String tenant, String userId, String sessionId) {
		long now = this.clock.millis();
		Long acquired = this.redis.execute(ACQUIRE, List.of(key(tenant, userId)), sessionId, Long.toString(now),
				Long.toString(now + leaseMillis()), Integer.toString(this.properties.maxConnectionsPerUser()),
				Long.toString(leaseMillis()));
		return acquired != null && acquired == 1;
	}

	/**
	 * Extends the lease of every session given, a pipeline of {@link #REFRESH_BATCH} at a
	 * time.
	 */
	void refresh(List<Session> sessions) {
		double until = this.clock.millis() + leaseMillis();
		for (int from = 0; from < sessions.size(); from += REFRESH_BATCH) {
			refresh(sessions.subList(from, Math.min(sessions.size(), from + REFRESH_BATCH)), until);
		}
	}

	private void refresh(List<Session> sessions, double until) {
		this.redis.executePipelined((RedisCallback<@Nullable Object>) (connection) -> {
			for (Session session : sessions) {
				byte[] key = bytes(key(session.user().tenant(), session.user().userId()));
				// XX: a session released meanwhile must not come back.
				connection.zSetCommands().zAdd(key, until, bytes(session.id()), ZAddArgs.ifExists());
				connection.keyCommands().pExpire(key, leaseMillis());
			}
			return null;
		});
	}

	/** Stops counting a session. */
	void release(String tenant, String userId, String sessionId) {
		this.redis.opsForZSet().remove(key(tenant, userId), sessionId);
	}

	private long leaseMillis() {
		return this.properties.heartbeat().toMillis() * LEASE_HEARTBEATS;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	static String key(String tenant, String userId) {
		return InboxKeys.of(tenant, userId).presence();
	}

}
