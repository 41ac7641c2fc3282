package io.herald.gateway.session;

import io.herald.gateway.inbox.GatewayNode;
import io.herald.gateway.inbox.LiveMessage;
import io.herald.gateway.inbox.LocalSessions;
import io.herald.support.redis.NativeRedis;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Hands live messages to this node's sessions: those the node's own inbox writer sends
 * directly, and those other nodes send on this node's one live channel
 * ({@link GatewayNode#channel()}), which the node subscribes to once, whatever the number
 * of its users (docs/adr/019). A session holds its presence entry, which names this node,
 * and registers here before it reads the inbox: whatever is appended after that read is
 * sent to this node and finds the session.
 *
 * <p>
 * The channel is a sharded one ({@code SSUBSCRIBE}, docs/adr/022), so that on a Redis
 * Cluster it lives on the one shard that serves its slot: Lettuce's cluster connection
 * subscribes there, and on a standalone Redis sharded channels behave as classic ones.
 *
 * <p>
 * Pub/Sub delivers at most once. What it loses is recovered by the sessions from the
 * inbox: a session notices a gap at the next seq, and every session of the node catches
 * up whenever Redis confirms the channel's subscription. Lettuce renews it after a
 * reconnect to the same server, but not when another server takes the channel over (a
 * shard's replica promoted, its slot moved): {@link #verify} asks the server that serves
 * the channel now whether this node listens, and subscribes again if not. Callbacks run
 * on Lettuce's event loop, and the inbox writer's threads call {@link #deliver}, so
 * sessions only queue work there.
 */
@Component
class LiveHub extends RedisPubSubAdapter<String, String> implements LocalSessions, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(LiveHub.class);

	private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(2);

	/** How often {@link #verify} runs: the longest a moved channel goes unheard. */
	static final Duration VERIFY_INTERVAL = Duration.ofSeconds(5);

	private final LettuceConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final GatewayNode node;

	/** The sessions on this node of each user, by {@code <tenant> <userId>}. */
	private final ConcurrentMap<String, Set<Session>> users = new ConcurrentHashMap<>();

	private final Counter invalid;

	private final Counter resubscribed;

	private volatile @Nullable StatefulRedisPubSubConnection<String, String> connection;

	private volatile @Nullable CompletableFuture<Void> subscribed;

	LiveHub(LettuceConnectionFactory connectionFactory, StringRedisTemplate redis, GatewayNode node,
			MeterRegistry meters) {
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.node = node;
		this.invalid = meters.counter("herald.gateway.live.invalid");
		this.resubscribed = meters.counter("herald.gateway.live.resubscribed");
		meters.gauge("herald.gateway.live.users", this.users, ConcurrentMap::size);
	}

	/**
	 * Routes the live messages of the session's user to the session.
	 * @return completes once Redis has confirmed this node's subscription: what other
	 * nodes send from then on reaches the session
	 */
	CompletableFuture<Void> register(Session session) {
		this.users
			.computeIfAbsent(key(session.user().tenant(), session.user().userId()),
					(key) -> ConcurrentHashMap.newKeySet())
			.add(session);
		return subscription();
	}

	/** Stops routing to the session. */
	void unregister(Session session) {
		this.users.computeIfPresent(key(session.user().tenant(), session.user().userId()), (key, sessions) -> {
			sessions.remove(session);
			return sessions.isEmpty() ? null : sessions;
		});
	}

	@Override
	public void deliver(String tenant, String userId, LiveMessage message, int size) {
		Set<Session> sessions = this.users.get(key(tenant, userId));
		if (sessions != null) {
			for (Session session : sessions) {
				session.deliver(message, size);
			}
		}
	}

	@Override
	public void smessage(String channel, String message) {
		int unreadable = LiveMessage.deliverLines(message, this);
		if (unreadable > 0) {
			this.invalid.increment(unreadable);
			logger.warn("Ignoring {} live messages in no known format on {}", unreadable, channel);
		}
	}

	@Override
	public void ssubscribed(String channel, long count) {
		// After a reconnect or a move: whatever was sent meanwhile is in the inboxes.
		this.users.values().forEach((sessions) -> sessions.forEach(Session::catchUp));
	}

	/**
	 * Subscribes again when the server that serves this node's channel now does not count
	 * this node among its listeners, as after a failover of its shard. Blocks on Redis:
	 * not for an event loop.
	 */
	void verify() {
		CompletableFuture<Void> current = this.subscribed;
		if (current == null) {
			// No session registered yet: nothing to listen for.
			return;
		}
		byte[] channel = this.node.channel().getBytes(StandardCharsets.UTF_8);
		Long listeners = this.redis.execute(
				(RedisCallback<@Nullable Long>) (connection) -> NativeRedis
					.await(NativeRedis.commands(connection).pubsubShardNumsub(channel),
							System.nanoTime() + VERIFY_TIMEOUT.toNanos())
					.values()
					.stream()
					.findFirst()
					.orElse(0L));
		if (listeners == null || listeners == 0) {
			logger.info("Subscribing again to {}: the server that serves it now does not count this node",
					this.node.channel());
			this.resubscribed.increment();
			resubscribe(current);
		}
	}

	/**
	 * Subscribes anew. A request still pending may wait forever, queued for a server that
	 * is gone (it went there before the client learnt of the failover): sessions waiting
	 * on it are let through once the new one is confirmed.
	 */
	private synchronized void resubscribe(CompletableFuture<Void> previous) {
		CompletableFuture<Void> fresh = ssubscribe();
		fresh.thenRun(() -> previous.complete(null));
		this.subscribed = fresh;
	}

	/** Asks Redis for this node's channel; completes when Redis confirms it. */
	private CompletableFuture<Void> ssubscribe() {
		CompletableFuture<Void> confirmed = new CompletableFuture<>();
		connection().async().ssubscribe(this.node.channel()).whenComplete((ignored, failure) -> {
			if (failure != null) {
				confirmed.completeExceptionally(failure);
			}
			else {
				confirmed.complete(null);
			}
		});
		return confirmed;
	}

	private CompletableFuture<Void> subscription() {
		CompletableFuture<Void> current = this.subscribed;
		if (current != null && !current.isCompletedExceptionally()) {
			return current;
		}
		synchronized (this) {
			if (this.subscribed == null || this.subscribed.isCompletedExceptionally()) {
				this.subscribed = ssubscribe();
			}
			return this.subscribed;
		}
	}

	private StatefulRedisPubSubConnection<String, String> connection() {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (this.connection == null) {
				StatefulRedisPubSubConnection<String, String> created = switch (this.connectionFactory
					.getNativeClient()) {
					case RedisClusterClient cluster -> cluster.connectPubSub(StringCodec.UTF8);
					case RedisClient standalone -> standalone.connectPubSub(StringCodec.UTF8);
					case AbstractRedisClient other -> throw new IllegalStateException(
							"The gateway's live channel needs a standalone Redis or a Redis Cluster, not " + other);
				};
				created.addListener(this);
				this.connection = created;
			}
			return this.connection;
		}
	}

	private static String key(String tenant, String userId) {
		return tenant + ' ' + userId;
	}

	@Override
	public void destroy() {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		if (current != null) {
			current.close();
		}
	}

}
