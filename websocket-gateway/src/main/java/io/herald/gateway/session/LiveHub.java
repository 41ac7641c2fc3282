package io.herald.gateway.session;

import io.herald.gateway.inbox.InboxKeys;
import io.herald.gateway.inbox.LiveMessage;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Joins gateway nodes through Redis Pub/Sub: this node subscribes to the live channel of every
 * user it holds a connection of, and only those, and hands what arrives to that user's sessions
 * here. Any node can thus serve any user, and a notification reaches the user's connections on
 * whichever nodes hold them.
 *
 * <p>Pub/Sub delivers at most once. What it loses is recovered by the sessions from the inbox: a
 * session notices a gap at the next seq, and every session of a channel catches up whenever
 * Redis confirms the channel's subscription, which Lettuce renews after every reconnect.
 * Callbacks run on Lettuce's event loop, so sessions only queue work there.
 */
@Component
class LiveHub extends RedisPubSubAdapter<String, String> implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(LiveHub.class);

	private final LettuceConnectionFactory connectionFactory;

	private final ConcurrentMap<String, Subscribers> channels = new ConcurrentHashMap<>();

	private final MeterRegistry meters;

	private volatile @Nullable StatefulRedisPubSubConnection<String, String> connection;

	LiveHub(LettuceConnectionFactory connectionFactory, MeterRegistry meters) {
		this.connectionFactory = connectionFactory;
		this.meters = meters;
		meters.gauge("herald.gateway.live.channels", this.channels, ConcurrentMap::size);
	}

	/**
	 * Routes the live messages of the session's user to the session.
	 * @return completes once Redis has confirmed the subscription: what is appended to the inbox
	 * from then on reaches the session
	 */
	CompletableFuture<Void> register(Session session) {
		StatefulRedisPubSubConnection<String, String> pubSub = connection();
		String channel = channel(session);
		Subscribers subscribers = this.channels.compute(channel, (key, existing) -> {
			Subscribers result = existing;
			if (result == null || result.subscribed.isCompletedExceptionally()) {
				result = new Subscribers(pubSub.async().subscribe(key).toCompletableFuture());
				if (existing != null) {
					result.sessions.addAll(existing.sessions);
				}
			}
			result.sessions.add(session);
			return result;
		});
		return subscribers.subscribed;
	}

	/** Stops routing to the session; the last session of a user ends the subscription. */
	void unregister(Session session) {
		StatefulRedisPubSubConnection<String, String> pubSub = this.connection;
		this.channels.computeIfPresent(channel(session), (key, existing) -> {
			existing.sessions.remove(session);
			if (!existing.sessions.isEmpty()) {
				return existing;
			}
			if (pubSub != null && pubSub.isOpen()) {
				pubSub.async().unsubscribe(key);
			}
			return null;
		});
	}

	@Override
	public void message(String channel, String message) {
		Subscribers subscribers = this.channels.get(channel);
		if (subscribers == null) {
			return;
		}
		LiveMessage parsed = LiveMessage.parse(message);
		if (parsed == null) {
			this.meters.counter("herald.gateway.live.invalid").increment();
			logger.warn("Ignoring a live message in no known format on {}", channel);
			return;
		}
		for (Session session : subscribers.sessions) {
			session.deliver(parsed, message.length());
		}
	}

	@Override
	public void subscribed(String channel, long count) {
		Subscribers subscribers = this.channels.get(channel);
		if (subscribers != null) {
			subscribers.sessions.forEach(Session::catchUp);
		}
	}

	private StatefulRedisPubSubConnection<String, String> connection() {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (this.connection == null) {
				AbstractRedisClient client = this.connectionFactory.getNativeClient();
				if (!(client instanceof RedisClient redisClient)) {
					throw new IllegalStateException(
							"The gateway's live channels need a standalone Redis (or its primary), not " + client);
				}
				StatefulRedisPubSubConnection<String, String> created = redisClient.connectPubSub(StringCodec.UTF8);
				created.addListener(this);
				this.connection = created;
			}
			return this.connection;
		}
	}

	private static String channel(Session session) {
		return InboxKeys.of(session.user().tenant(), session.user().userId()).live();
	}

	@Override
	public void destroy() {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		if (current != null) {
			current.close();
		}
	}

	/** The sessions on this node of one user, and the subscription to the user's channel. */
	private static final class Subscribers {

		private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

		private final CompletableFuture<Void> subscribed;

		Subscribers(CompletableFuture<Void> subscribed) {
			this.subscribed = subscribed;
		}

	}

}
