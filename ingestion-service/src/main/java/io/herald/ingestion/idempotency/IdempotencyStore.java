package io.herald.ingestion.idempotency;

import io.herald.support.redis.LuaScripts;
import io.herald.support.redis.ScriptPipeline;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Idempotency keys in Redis: within the window, one tenant's key publishes one event,
 * however many requests carry it and however they interleave.
 *
 * <p>
 * A request first claims the key (one Lua script: check and set). The owner publishes and
 * then settles the claim as published, or as failed so that a retry can publish again. A
 * concurrent request with the same key waits while the owner's publish is in flight
 * (bounded by the claim's lease) and then answers as a duplicate, or takes over if the
 * publish failed. A retry after a failure reuses the event id of the failed attempt: if
 * that attempt did reach the log after all (its acknowledgement was lost), downstream
 * stages deduplicate by event id.
 *
 * <p>
 * With {@link IdempotencySettings#syncReplicas()} above 0, a new claim is published only
 * once that many Redis replicas have it ({@code WAIT} in the claim's pipeline): a
 * failover to such a replica remembers every claim whose event may be in the log, so a
 * retry keeps its event id (docs/adr/021). A new claim they did not confirm in time is
 * settled as failed and the request answers {@code 503}; nothing was published, and the
 * retry takes the claim over.
 */
public class IdempotencyStore {

	/** How often a waiting request looks again at a claim in flight. */
	private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

	/** The margin of a claim's lease over the publish timeout. */
	private static final Duration LEASE_MARGIN = Duration.ofSeconds(2);

	private static final RedisScript<List> CLAIM = LuaScripts.load("idempotency-claim.lua", List.class);

	private static final RedisScript<Long> SETTLE = LuaScripts.load("idempotency-settle.lua", Long.class);

	private final StringRedisTemplate redis;

	private final Clock clock;

	private final Duration window;

	private final Duration lease;

	private final int syncReplicas;

	private final Duration syncTimeout;

	private final ScriptPipeline pipeline;

	public IdempotencyStore(StringRedisTemplate redis, Clock clock, IdempotencySettings settings) {
		this.redis = redis;
		this.clock = clock;
		this.window = settings.window();
		this.lease = settings.publishTimeout().plus(LEASE_MARGIN);
		this.syncReplicas = settings.syncReplicas();
		this.syncTimeout = settings.syncTimeout();
		this.pipeline = new ScriptPipeline(redis, CLAIM);
	}

	/**
	 * Claims a key, waiting while another request's publish under it is in flight.
	 * @param tenant the tenant
	 * @param key the caller's idempotency key
	 * @param candidateEventId the id to use if the key is new
	 * @throws org.springframework.dao.DataAccessException when Redis cannot be reached,
	 * or too few replicas confirmed a new claim in time
	 */
	public Claim claim(String tenant, String key, String candidateEventId) {
		String redisKey = redisKey(tenant, key);
		while (true) {
			long now = this.clock.millis();
			String[] args = { candidateEventId, Long.toString(this.window.toMillis()), Long.toString(now),
					Long.toString(now + this.lease.toMillis()) };
			long replicated = Long.MAX_VALUE;
			List<?> result;
			if (this.syncReplicas == 0) {
				result = this.redis.execute(CLAIM, List.of(redisKey), (Object[]) args);
			}
			else {
				ScriptPipeline.Replicated replies = this.pipeline
					.run((calls) -> calls.call(CLAIM, List.of(redisKey), args), this.syncReplicas, this.syncTimeout);
				result = (List<?>) Objects.requireNonNull(replies.replies().get(0), "the claim's reply");
				replicated = replies.replicas();
			}
			String state = text(result.get(0));
			String eventId = text(result.get(1));
			switch (state) {
				case "new" -> {
					if (replicated < this.syncReplicas) {
						settleFailed(tenant, key, eventId);
						throw new TransientDataAccessResourceException("Only " + replicated + " of " + this.syncReplicas
								+ " Redis replicas confirmed the idempotency claim within "
								+ this.syncTimeout.toMillis() + " ms; nothing was published");
					}
					return new Claim.Owned(eventId);
				}
				case "accepted" -> {
					return new Claim.AlreadyAccepted(eventId);
				}
				default -> LockSupport.parkNanos(POLL_INTERVAL.toNanos());
			}
		}
	}

	/** Records that the event of an owned claim is durably in the event log. */
	public void settlePublished(String tenant, String key, String eventId) {
		this.redis.execute(SETTLE, List.of(redisKey(tenant, key)), eventId, "A");
	}

	/** Records that the publish of an owned claim failed: a retry may publish again. */
	public void settleFailed(String tenant, String key, String eventId) {
		this.redis.execute(SETTLE, List.of(redisKey(tenant, key)), eventId, "F");
	}

	/** A script reply's element: text, or its bytes when read through a pipeline. */
	private static String text(@Nullable Object element) {
		return (element instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(element);
	}

	static String redisKey(String tenant, String key) {
		return "herald:idem:" + tenant + ":" + key;
	}

}
