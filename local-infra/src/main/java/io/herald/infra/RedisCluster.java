package io.herald.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A Redis Cluster of ephemeral {@link RedisServer} nodes: several shards, each a primary
 * with the same share of the 16,384 hash slots and optionally a replica, as a managed
 * Redis Cluster or {@code redis-cli --cluster create} would set it up. {@link #start}
 * returns once every node sees every slot served ({@code cluster_state:ok});
 * {@link #failOver} promotes a shard's replica, as the cluster itself does when a primary
 * fails. {@link #close()} ends every node.
 */
public final class RedisCluster implements AutoCloseable {

	/** How many hash slots a Redis Cluster has. */
	public static final int SLOTS = 16384;

	private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

	private static final long POLL_INTERVAL_MILLIS = 50;

	private final List<Shard> shards = new ArrayList<>();

	private final List<RedisServer> servers = new ArrayList<>();

	private RedisCluster(int shardCount, boolean replicated) {
		for (int i = 0; i < shardCount; i++) {
			RedisServer primary = node();
			this.shards.add(new Shard(primary, replicated ? node() : null, null));
		}
		try {
			form();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Starts a cluster and waits until it serves every slot.
	 * @param shardCount how many primaries share the slots, at least one
	 * @param replicated whether each primary gets a replica
	 * @throws IllegalStateException if a node does not start or the cluster does not form
	 * in time
	 */
	public static RedisCluster start(int shardCount, boolean replicated) {
		if (shardCount < 1) {
			throw new IllegalArgumentException("shardCount must be at least 1, but was " + shardCount);
		}
		return new RedisCluster(shardCount, replicated);
	}

	/** The primaries now, one per shard, in slot order. */
	public List<RedisServer> primaries() {
		return this.shards.stream().map(Shard::primary).toList();
	}

	/**
	 * The addresses of the primaries, {@code host:port} joined by commas, as a client's
	 * list of seed nodes ({@code spring.data.redis.cluster.nodes}).
	 */
	public String seeds() {
		return primaries().stream()
			.map((server) -> server.host() + ":" + server.port())
			.collect(Collectors.joining(","));
	}

	/**
	 * The index of the shard that serves a key, in slot order.
	 * @param key a key, whose hash tag ({@code {...}}) decides its slot if it has one
	 */
	public int shardOf(String key) {
		int slot = Integer.parseInt(String.valueOf(primaries().getFirst().call("CLUSTER", "KEYSLOT", key)));
		return shardOfSlot(slot);
	}

	/**
	 * The primary that serves a key now.
	 * @param key a key, whose hash tag ({@code {...}}) decides its slot if it has one
	 */
	public RedisServer primaryOf(String key) {
		return this.shards.get(shardOf(key)).primary();
	}

	/**
	 * The replica of a shard.
	 * @param shard the index of the shard, in slot order
	 * @throws IllegalStateException if the shard has no replica (any more)
	 */
	public RedisServer replica(int shard) {
		RedisServer replica = this.shards.get(shard).replica();
		if (replica == null) {
			throw new IllegalStateException("shard " + shard + " has no replica");
		}
		return replica;
	}

	/**
	 * A failover of one shard, as the cluster makes it when a primary stops answering:
	 * the primary dies (SIGKILL), and its replica, running on, takes its slots over
	 * ({@code CLUSTER FAILOVER
	 * TAKEOVER}) with whatever it had. The shard has no replica from then on.
	 * @param shard the index of the shard, in slot order
	 * @return the new primary
	 * @throws IllegalStateException if the shard has no replica, or the cluster does not
	 * serve every slot again in time
	 */
	public RedisServer failOver(int shard) {
		Shard current = this.shards.get(shard);
		RedisServer replica = replica(shard);
		current.primary().kill();
		replica.call("CLUSTER", "FAILOVER", "TAKEOVER");
		this.shards.set(shard, new Shard(replica, null, current.primary()));
		awaitEveryNode("the failover of shard " + shard,
				(server) -> isOk(server) && String.valueOf(server.call("CLUSTER", "NODES"))
					.lines()
					.anyMatch((line) -> line.contains(":" + replica.port() + "@") && line.contains("master")));
		return replica;
	}

	/**
	 * The primary a {@link #failOver} killed starts again and joins its shard as the
	 * replica of the new primary, which it copies, as a restarted node does in a real
	 * cluster.
	 * @param shard the index of the shard, in slot order
	 * @return the new replica
	 * @throws IllegalStateException if the shard did not fail over, or the node does not
	 * catch up in time
	 */
	public RedisServer rejoin(int shard) {
		Shard current = this.shards.get(shard);
		RedisServer former = current.former();
		if (former == null) {
			throw new IllegalStateException("shard " + shard + " has no former primary to restart");
		}
		former.start();
		awaitEveryNode("the former primary of shard " + shard + " to follow the new one",
				(server) -> server != former || String.valueOf(server.call("INFO", "replication"))
					.contains("master_port:" + current.primary().port()));
		former.awaitReplicaInSync(FORM_TIMEOUT);
		this.shards.set(shard, new Shard(current.primary(), former, null));
		return former;
	}

	/** Ends every node, paused ones too. Idempotent. */
	@Override
	public void close() {
		RedisServer.closeAll(this.servers);
	}

	private RedisServer node() {
		List<Integer> ports = FreePorts.find(2);
		RedisServer server = RedisServer.builder().port(ports.get(0)).clusterNode(ports.get(1)).build();
		this.servers.add(server);
		return server.start();
	}

	private void form() {
		int count = this.shards.size();
		for (int i = 0; i < count; i++) {
			int first = i * SLOTS / count;
			int last = (i + 1) * SLOTS / count - 1;
			this.shards.get(i)
				.primary()
				.call("CLUSTER", "ADDSLOTSRANGE", Integer.toString(first), Integer.toString(last));
		}
		RedisServer seed = this.shards.getFirst().primary();
		for (RedisServer server : this.servers) {
			if (server != seed) {
				server.call("CLUSTER", "MEET", seed.host(), Integer.toString(seed.port()),
						Integer.toString(busPort(seed)));
			}
		}
		String known = "cluster_known_nodes:" + this.servers.size();
		awaitEveryNode("the cluster to form",
				(server) -> isOk(server) && info(server).lines().anyMatch((line) -> line.strip().equals(known)));
		for (Shard shard : this.shards) {
			RedisServer replica = shard.replica();
			if (replica != null) {
				replica.call("CLUSTER", "REPLICATE", String.valueOf(shard.primary().call("CLUSTER", "MYID")));
			}
		}
		for (Shard shard : this.shards) {
			RedisServer replica = shard.replica();
			if (replica != null) {
				replica.awaitReplicaInSync(FORM_TIMEOUT);
			}
		}
	}

	private int shardOfSlot(int slot) {
		return Math.min(this.shards.size() - 1, (int) ((long) slot * this.shards.size() / SLOTS));
	}

	private void awaitEveryNode(String what, Predicate<RedisServer> ready) {
		long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
		List<RedisServer> live = this.servers.stream().filter(RedisServer::isRunning).toList();
		while (!live.stream().allMatch(ready)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"Redis Cluster: timed out after " + FORM_TIMEOUT.toSeconds() + " s waiting for " + what);
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_INTERVAL_MILLIS));
		}
	}

	private static boolean isOk(RedisServer server) {
		return info(server).contains("cluster_state:ok");
	}

	private static String info(RedisServer server) {
		return String.valueOf(server.call("CLUSTER", "INFO"));
	}

	private static int busPort(RedisServer server) {
		String line = String.valueOf(server.call("CONFIG", "GET", "cluster-port"));
		return Integer.parseInt(line.lines().skip(1).findFirst().orElseThrow().trim());
	}

	/**
	 * A primary, its replica if it has one, and the primary it replaced in a failover, if
	 * any.
	 */
	private record Shard(RedisServer primary, @Nullable RedisServer replica, @Nullable RedisServer former) {

		Shard {
			Objects.requireNonNull(primary, "primary");
		}

	}

}
