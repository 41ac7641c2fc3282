package io.herald.support.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.RedisURI;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis' {@code WAIT}, which answers once enough replicas have every write its connection
 * made, or when its timeout has passed, with how many had them.
 */
final class ReplicaWait {

	/** What a primary gets beyond the WAIT's own timeout to answer it. */
	private static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);

	private ReplicaWait() {
	}

	/** Ends a standalone pipeline with {@code WAIT}; its reply is the pipeline's last. */
	static void inPipeline(LettuceConnection connection, int replicas, Duration timeout) {
		// WAIT answers with an integer, which the untyped execute(String, byte[]...)
		// cannot read.
		connection.execute("WAIT", new IntegerOutput<>(ByteArrayCodec.INSTANCE), args(replicas, timeout));
	}

	/**
	 * Sends {@code WAIT} to each primary that serves one of the keys, on the node
	 * connection the pipeline's commands for its slots went over, and waits for every
	 * answer.
	 * @param commands the pipeline's commands, of a cluster connection
	 * @return the fewest replicas a primary confirmed
	 */
	static long onPrimaries(RedisClusterAsyncCommands<byte[], byte[]> commands, List<String> keys, int replicas,
			Duration timeout) {
		if (!(commands instanceof RedisAdvancedClusterAsyncCommands<byte[], byte[]> cluster)) {
			throw new IllegalStateException(
					"Expected a Redis Cluster connection, not " + commands.getClass().getName());
		}
		StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.getStatefulConnection();
		Map<String, RedisURI> primaries = new LinkedHashMap<>();
		for (String key : keys) {
			RedisClusterNode primary = connection.getPartitions()
				.getMasterBySlot(SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8)));
			if (primary == null) {
				throw new RedisSystemException("No primary serves the slot of " + key, null);
			}
			primaries.putIfAbsent(primary.getNodeId(), primary.getUri());
		}
		byte[][] waitArgs = args(replicas, timeout);
		List<RedisFuture<Long>> answers = new ArrayList<>(primaries.size());
		for (RedisURI uri : primaries.values()) {
			CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add(waitArgs[0])
				.add(waitArgs[1]);
			// The connection slot-routed commands to this primary take: WAIT counts its
			// writes.
			answers.add(connection.getConnection(uri.getHost(), uri.getPort(), ConnectionIntent.WRITE)
				.async()
				.dispatch(CommandType.WAIT, new IntegerOutput<>(ByteArrayCodec.INSTANCE), args));
		}
		connection.flushCommands();
		long fewest = Long.MAX_VALUE;
		long deadline = System.nanoTime() + timeout.plus(ANSWER_MARGIN).toNanos();
		for (RedisFuture<Long> answer : answers) {
			Long confirmed = NativeRedis.await(answer, deadline);
			fewest = Math.min(fewest, (confirmed != null) ? confirmed : 0);
		}
		return (fewest == Long.MAX_VALUE) ? replicas : fewest;
	}

	private static byte[][] args(int replicas, Duration timeout) {
		return new byte[][] { Integer.toString(replicas).getBytes(StandardCharsets.US_ASCII),
				Long.toString(Math.max(1, timeout.toMillis())).getBytes(StandardCharsets.US_ASCII) };
	}

}
