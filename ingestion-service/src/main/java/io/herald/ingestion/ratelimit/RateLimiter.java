package io.herald.ingestion.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.herald.support.apikey.ApiKey;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key token buckets (Bucket4j), kept in Redis so that every ingestion instance draws
 * from the same bucket. If Redis cannot be reached the limiter lets requests through and
 * counts them ({@code herald.ingestion.ratelimit.unavailable}): a rate limiter must not
 * take ingestion down.
 */
@Component
public class RateLimiter implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(RateLimiter.class);

	/**
	 * A rate-limit check waits at most this long for Redis before letting the request
	 * through.
	 */
	private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * A bucket's local consumption is written to Redis once it reaches the rate divided
	 * by this.
	 */
	private static final int SYNC_SHARE_DIVISOR = 20;

	/** ... or once this passed since the last write. */
	private static final Duration SYNC_INTERVAL = Duration.ofMillis(50);

	private final LettuceConnectionFactory connectionFactory;

	private volatile @Nullable Connected connected;

	private final RateLimitProperties defaults;

	private final Counter unavailable;

	RateLimiter(LettuceConnectionFactory connectionFactory, RateLimitProperties defaults, MeterRegistry meters) {
		this.connectionFactory = connectionFactory;
		this.defaults = defaults;
		this.unavailable = Counter.builder("herald.ingestion.ratelimit.unavailable")
			.description("Requests let through because the rate limiter's store could not be reached")
			.register(meters);
	}

	/**
	 * Takes tokens for a number of events from the key's bucket.
	 * @return whether the events may pass, and if not, when to try again
	 */
	public Decision tryAcquire(ApiKey key, int events) {
		int rate = (key.eventsPerSecond() != null) ? key.eventsPerSecond() : this.defaults.eventsPerSecond();
		long capacity = (long) rate * this.defaults.burstSeconds();
		if (events > capacity) {
			return new Decision.OverBurst(capacity, Duration.ofSeconds(this.defaults.burstSeconds()));
		}
		try {
			ConsumptionProbe probe = bucket(key, rate, capacity).tryConsumeAndReturnRemaining(events);
			return probe.isConsumed() ? new Decision.Allowed()
					: new Decision.Limited(Duration.ofNanos(probe.getNanosToWaitForRefill()));
		}
		catch (RuntimeException ex) {
			this.unavailable.increment();
			logger.warn("Rate limiter store unavailable, letting the request through: {}", ex.toString());
			return new Decision.Allowed();
		}
	}

	/**
	 * The key's bucket. One proxy per key is kept, because the optimization lives in the
	 * proxy: each instance consumes from a local copy of the bucket and writes what it
	 * consumed to Redis once {@value #SYNC_SHARE_DIVISOR}th of a second's worth of tokens
	 * is unsynchronized or {@link #SYNC_INTERVAL} passed, whichever comes first, instead
	 * of one Redis round trip per request. Requests that arrive while one is talking to
	 * Redis join its round trip. The price: each instance may let through up to that
	 * share of a second's tokens more than the limit before it learns that the others
	 * exhausted the bucket.
	 */
	private Bucket bucket(ApiKey key, int rate, long capacity) {
		Connected current = connected();
		return current.proxies()
			.computeIfAbsent(redisKey(key), (redisKey) -> current.buckets()
				.builder()
				.withOptimization(Optimizations
					.delaying(new DelayParameters(Math.max(1, rate / SYNC_SHARE_DIVISOR), SYNC_INTERVAL)))
				.build(redisKey,
						() -> BucketConfiguration.builder()
							.addLimit((limit) -> limit.capacity(capacity).refillGreedy(rate, Duration.ofSeconds(1)))
							.build()));
	}

	/**
	 * The buckets on a connection of the connection factory's current client, connected
	 * on first use (the connection factory starts after this bean is made), and again
	 * when the factory has replaced its client: a factory that was stopped and started
	 * has closed the connection of its earlier client, which would otherwise let every
	 * request through from then on. A connection that drops reconnects by itself.
	 */
	private Connected connected() {
		AbstractRedisClient client = this.connectionFactory.getNativeClient();
		Connected current = this.connected;
		return (current != null && current.client() == client) ? current : connect(client);
	}

	private synchronized Connected connect(AbstractRedisClient client) {
		Connected current = this.connected;
		if (current != null && current.client() == client) {
			return current;
		}
		if (!(client instanceof RedisClient redisClient)) {
			throw new IllegalStateException("rate limits need a standalone Redis client");
		}
		if (current != null) {
			logger.info("Rate limiter reconnecting: the Redis connection factory has a new client");
			current.connection().closeAsync();
		}
		StatefulRedisConnection<String, byte[]> connection = redisClient
			.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
		connection.setTimeout(REDIS_TIMEOUT);
		ProxyManager<String> buckets = Bucket4jLettuce.casBasedBuilder(connection)
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
			.requestTimeout(REDIS_TIMEOUT)
			.build();
		Connected fresh = new Connected(client, connection, buckets, new ConcurrentHashMap<>());
		this.connected = fresh;
		return fresh;
	}

	/**
	 * A connection of one client of the connection factory, its buckets, and the proxy of
	 * each key's bucket on it.
	 */
	private record Connected(AbstractRedisClient client, StatefulRedisConnection<String, byte[]> connection,
			ProxyManager<String> buckets, Map<String, Bucket> proxies) {
	}

	/** Whether events may pass the rate limit. */
	public sealed interface Decision {

		/** The events may pass. */
		record Allowed() implements Decision {
		}

		/** Over the limit: the events may pass after {@code retryAfter}. */
		record Limited(Duration retryAfter) implements Decision {
		}

		/**
		 * More events in one request than the key's burst: it can never pass; split it.
		 */
		record OverBurst(long burst, Duration retryAfter) implements Decision {
		}

	}

	private static String redisKey(ApiKey key) {
		return "herald:ratelimit:" + key.tenant() + ":" + key.name();
	}

	@Override
	public synchronized void destroy() {
		Connected current = this.connected;
		if (current != null) {
			current.connection().close();
		}
	}

}
