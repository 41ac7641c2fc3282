package io.herald.gateway.inbox;

import io.herald.support.redis.NativeRedis;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends live messages to the gateway nodes that hold their users' connections, as the
 * user's presence named them when the inbox changed: to this node's sessions directly, to
 * every other node in one Pub/Sub message per batch on the node's own channel
 * (docs/adr/019). No channel per user: a node subscribes to one channel whatever the
 * number of its users, and a fan-out to thousands of users on one node costs Redis a few
 * messages, not one per user. The channels are sharded ({@code SPUBLISH}, docs/adr/022):
 * on a Redis Cluster a message goes to the shard that serves its channel's slot alone,
 * not to every shard.
 *
 * <p>
 * At most once, as Pub/Sub itself: a message lost on the way is noticed by the session at
 * the next seq, or when the node's subscription is restored, and read from the inbox.
 */
@Component
public class LiveDispatch {

	/** How long Redis gets to take a batch's messages. */
	private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The most characters one Pub/Sub message carries; a batch beyond it is sent as
	 * several.
	 */
	static final int MAX_MESSAGE_CHARS = 64 * 1024;

	private final StringRedisTemplate redis;

	private final GatewayNode node;

	private final LocalSessions local;

	LiveDispatch(StringRedisTemplate redis, GatewayNode node, LocalSessions local) {
		this.redis = redis;
		this.node = node;
		this.local = local;
	}

	/**
	 * Sends each message to the nodes it names, in list order for every node.
	 * @throws DataAccessException when Redis cannot take a message for another node; this
	 * node's sessions have theirs by then
	 */
	public void send(List<Addressed> messages) {
		Map<String, List<StringBuilder>> remote = new LinkedHashMap<>();
		for (Addressed message : messages) {
			for (String nodeId : message.nodes()) {
				if (nodeId.equals(this.node.id())) {
					this.local.deliver(message.tenant(), message.userId(), message.message(), message.message().size());
					continue;
				}
				List<StringBuilder> batches = remote.computeIfAbsent(nodeId, (key) -> new ArrayList<>());
				if (batches.isEmpty() || batches.getLast().length() >= MAX_MESSAGE_CHARS) {
					batches.add(new StringBuilder());
				}
				LiveMessage.appendLine(batches.getLast(), message.tenant(), message.userId(), message.message());
			}
		}
		if (remote.isEmpty()) {
			return;
		}
		this.redis.execute((RedisCallback<@Nullable Object>) (connection) -> {
			RedisClusterAsyncCommands<byte[], byte[]> commands = NativeRedis.commands(connection);
			List<RedisFuture<Long>> published = new ArrayList<>();
			remote.forEach((nodeId, batches) -> {
				byte[] channel = GatewayNode.channel(nodeId).getBytes(StandardCharsets.UTF_8);
				for (StringBuilder batch : batches) {
					published.add(commands.spublish(channel, batch.toString().getBytes(StandardCharsets.UTF_8)));
				}
			});
			long deadline = System.nanoTime() + PUBLISH_TIMEOUT.toNanos();
			published.forEach((reply) -> NativeRedis.await(reply, deadline));
			return null;
		});
	}

	/** The node ids a script replied with, from the element at {@code from} on. */
	static List<String> nodeIds(List<?> reply, int from) {
		List<String> nodes = new ArrayList<>(Math.max(0, reply.size() - from));
		for (int i = from; i < reply.size(); i++) {
			Object element = reply.get(i);
			nodes.add((element instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
					: String.valueOf(element));
		}
		return nodes;
	}

	/**
	 * The node ids among a user's presence entries (session ids {@code <node>.<uuid>}),
	 * each once. An entry of another form names no node and is skipped.
	 */
	static List<String> nodesOf(Iterable<String> sessionIds) {
		List<String> nodes = new ArrayList<>(2);
		for (String sessionId : sessionIds) {
			int end = sessionId.indexOf(GatewayNode.SESSION_SEPARATOR);
			if (end > 0) {
				String nodeId = sessionId.substring(0, end);
				if (!nodes.contains(nodeId)) {
					nodes.add(nodeId);
				}
			}
		}
		return nodes;
	}

	/**
	 * A live message for a user and the nodes to send it to.
	 *
	 * @param nodes the ids of the nodes that hold a connection of the user, each once
	 */
	public record Addressed(String tenant, String userId, LiveMessage message, List<String> nodes) {
	}

}
