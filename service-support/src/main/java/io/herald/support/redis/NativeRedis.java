package io.herald.support.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.DecoratedRedisConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lettuce's own commands behind a Spring Data Redis connection, for what Spring Data
 * Redis does not offer (sharded Pub/Sub, {@code WAIT}): on a standalone Redis they go to
 * the server, on a Redis Cluster Lettuce routes each by its key's slot.
 */
public final class NativeRedis {

	private NativeRedis() {
	}

	/**
	 * Whether the template reaches a Redis Cluster, where a script may only touch keys of
	 * one slot: keys of different users (different hash tags) cannot meet in one call.
	 */
	public static boolean isCluster(RedisTemplate<?, ?> redis) {
		return redis.getConnectionFactory() instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware();
	}

	/**
	 * The Lettuce connection behind a connection that a
	 * {@link org.springframework.data.redis.core.RedisCallback} is given.
	 * @throws IllegalStateException when Redis is not reached through Lettuce
	 */
	public static LettuceConnection lettuce(RedisConnection connection) {
		RedisConnection target = connection;
		while (target instanceof DecoratedRedisConnection decorated) {
			target = decorated.getDelegate();
		}
		if (target instanceof LettuceConnection lettuce) {
			return lettuce;
		}
		throw new IllegalStateException(
				"Herald needs a Lettuce connection to Redis, not " + target.getClass().getName());
	}

	/**
	 * The asynchronous Lettuce commands of a connection: the shared connection, or the
	 * connection's own while it runs a pipeline.
	 */
	@SuppressWarnings("unchecked")
	public static RedisClusterAsyncCommands<byte[], byte[]> commands(RedisConnection connection) {
		// Asked of the connection itself: a template's proxy passes the call on.
		if (connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> commands) {
			return (RedisClusterAsyncCommands<byte[], byte[]>) commands;
		}
		throw new IllegalStateException("Herald needs a Lettuce connection to Redis, not "
				+ connection.getNativeConnection().getClass().getName());
	}

	/**
	 * Waits for a command's reply until a deadline.
	 * @param deadline a {@link System#nanoTime()} value
	 * @throws DataAccessException when Redis failed the command or did not answer in time
	 */
	public static <T> T await(RedisFuture<T> reply, long deadline) {
		try {
			return reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			reply.cancel(true);
			throw new QueryTimeoutException("Redis did not answer in time", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new RedisSystemException("Redis failed a command: " + cause.getMessage(), cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Interrupted while waiting for Redis", ex);
		}
	}

}
