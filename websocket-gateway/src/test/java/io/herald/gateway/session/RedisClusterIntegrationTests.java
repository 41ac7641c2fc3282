package io.herald.gateway.session;

import io.herald.gateway.GatewayApplication;
import io.herald.gateway.InAppLane;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import io.herald.gateway.inbox.GatewayNode;
import io.herald.gateway.inbox.InboxKeys;
import io.herald.infra.FreePorts;
import io.herald.infra.KafkaBroker;
import io.herald.infra.RedisCluster;
import io.herald.infra.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway nodes on a real Redis Cluster of three shards, each a primary with a
 * replica, and appends that wait for a replica ({@code sync-replicas} 1). Users whose
 * inboxes live on every shard, each connected to both nodes, get every notification on
 * both, in order, once; and so they do after the shard that serves one node's live
 * channel fails over, which moves the channel to another server that the node must
 * subscribe to again.
 */
class RedisClusterIntegrationTests {

	private static final String TENANT = "t-cluster";

	private static final int USERS_PER_SHARD = 2;

	private static final int BEFORE = 10;

	private static final int AFTER = 20;

	/** Several of LiveHub's check intervals. */
	private static final Duration LISTENED_TIMEOUT = LiveHub.VERIFY_INTERVAL.multipliedBy(6);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void stopEverything() throws Exception {
		for (AutoCloseable resource : this.resources.reversed()) {
			resource.close();
		}
	}

	@Test
	void everyUserGetsEveryNotificationOnBothNodesAcrossAFailoverOfTheShardThatServesALiveChannel() {
		RedisCluster cluster = track(RedisCluster.start(3, true));
		KafkaBroker broker = KafkaBroker.builder().build().start();
		track(broker);
		List<Integer> ports = FreePorts.find(2);
		ConfigurableApplicationContext nodeA = start(ports.get(0), cluster, broker);
		ConfigurableApplicationContext nodeB = start(ports.get(1), cluster, broker);
		InAppLane lane = track(new InAppLane(broker.bootstrapServers()));
		List<String> users = usersOnEveryShard(cluster);
		Map<String, List<TestSocket>> sockets = new LinkedHashMap<>();
		for (String user : users) {
			List<TestSocket> both = List.of(track(TestSocket.connect(ports.get(0), TestTokens.token(TENANT, user))),
					track(TestSocket.connect(ports.get(1), TestTokens.token(TENANT, user))));
			both.forEach((socket) -> socket.next("hello"));
			sockets.put(user, both);
		}

		users.forEach((user) -> lane.deliver(TENANT, user, 1, BEFORE));
		sockets.values()
			.forEach((both) -> both.forEach((socket) -> assertThat(socket.seqsUpTo(BEFORE))
				.containsExactlyElementsOf(LongStream.rangeClosed(1, BEFORE).boxed().toList())));
		assertThat(replicated(nodeA) + replicated(nodeB)).as("append batches confirmed by a replica").isPositive();

		String channel = nodeA.getBean(GatewayNode.class).channel();
		int shard = cluster.shardOf(channel);
		cluster.failOver(shard);
		// With a replica again, the shard's appends are confirmed again.
		cluster.rejoin(shard);

		users.forEach((user) -> lane.deliver(TENANT, user, BEFORE + 1, AFTER));
		sockets.forEach((user, both) -> both
			.forEach((socket) -> assertThat(socket.seqsUpTo(AFTER)).as("seqs of %s after the failover", user)
				.containsExactlyElementsOf(LongStream.rangeClosed(BEFORE + 1, AFTER).boxed().toList())));
		// Lettuce may have renewed the subscription on the restarted node, now a replica,
		// or
		// on none: the server that serves the channel now must count node A, which
		// LiveHub's check brings about within its interval.
		await().atMost(LISTENED_TIMEOUT)
			.untilAsserted(() -> assertThat(listeners(cluster.primaries().get(shard), channel))
				.as("node A's listeners on the primary that serves its channel now")
				.isPositive());
	}

	private static long listeners(RedisServer server, String channel) {
		String reply = String.valueOf(server.call("PUBSUB", "SHARDNUMSUB", channel));
		return Long.parseLong(reply.substring(reply.lastIndexOf('\n') + 1));
	}

	/** {@value #USERS_PER_SHARD} users whose inboxes each shard serves. */
	private static List<String> usersOnEveryShard(RedisCluster cluster) {
		List<String> users = new ArrayList<>();
		Map<Integer, Integer> perShard = new LinkedHashMap<>();
		Set<Integer> full = new HashSet<>();
		while (full.size() < cluster.primaries().size()) {
			String user = "u-" + UUID.randomUUID();
			int shard = cluster.shardOf(InboxKeys.of(TENANT, user).stream());
			if (perShard.merge(shard, 1, Integer::sum) <= USERS_PER_SHARD) {
				users.add(user);
			}
			else {
				full.add(shard);
			}
		}
		return users;
	}

	private static double replicated(ConfigurableApplicationContext node) {
		return node.getBean(MeterRegistry.class)
			.find("herald.gateway.inbox.replication")
			.tag("outcome", "replicated")
			.counters()
			.stream()
			.mapToDouble((c) -> c.count())
			.sum();
	}

	private ConfigurableApplicationContext start(int port, RedisCluster cluster, KafkaBroker broker) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class).run(
				"--server.port=" + port, "--management.server.port=" + FreePorts.find(),
				"--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
				"--spring.data.redis.cluster.nodes=" + cluster.seeds(), "--herald.gateway.inbox.sync-replicas=1",
				"--herald.kafka.partitions=4", "--herald.gateway.jwt.tenants[0].tenant=" + TENANT,
				"--herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET);
		return track(context);
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

}
