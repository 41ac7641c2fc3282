package io.herald.support.redis;

import io.herald.infra.RedisCluster;
import io.herald.infra.RedisServer;
import io.herald.infra.ReplicatedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Script batches that wait for replicas, on a real primary and replica and on a real
 * Redis Cluster.
 */
class ScriptPipelineReplicationIntegrationTests {

	private static final RedisScript<Long> ADD = RedisScript.of("return redis.call('INCRBY', KEYS[1], ARGV[1])",
			Long.class);

	private static final Duration TIMEOUT = Duration.ofMillis(300);

	@Test
	void aStandaloneBatchCountsTheReplicasThatHaveItsWrites() {
		try (ReplicatedRedis servers = ReplicatedRedis.start()) {
			withPipeline(new RedisStandaloneConfiguration(servers.primary().host(), servers.primary().port()),
					(pipeline) -> {
						ScriptPipeline.Replicated replicated = pipeline.run((calls) -> {
							calls.call(ADD, List.of("a"), "1");
							calls.call(ADD, List.of("b"), "2");
						}, 1, TIMEOUT);
						assertThat(replicated.replies()).containsExactly(1L, 2L);
						assertThat(replicated.replicas()).isEqualTo(1);

						servers.replicaFallsBehind();
						replicated = pipeline.run((calls) -> calls.call(ADD, List.of("a"), "1"), 1, TIMEOUT);
						assertThat(replicated.replies()).containsExactly(2L);
						assertThat(replicated.replicas()).isZero();
					});
		}
	}

	@Test
	void aClusterBatchWaitsOnEveryPrimaryItWroteToAndOnNoOther() {
		try (RedisCluster cluster = RedisCluster.start(3, true)) {
			List<String> keys = keysOnEveryShard(cluster);
			withPipeline(new RedisClusterConfiguration(Arrays.asList(cluster.seeds().split(","))), (pipeline) -> {
				// The scripts are unknown to every primary: the batch loads them and runs
				// again.
				ScriptPipeline.Replicated replicated = pipeline.run((calls) -> {
					for (String key : keys) {
						calls.call(ADD, List.of(key), "1");
					}
				}, 1, TIMEOUT);
				assertThat(replicated.replies()).containsExactly(1L, 1L, 1L);
				assertThat(replicated.replicas()).isEqualTo(1);
				for (String key : keys) {
					assertThat(readOnReplica(cluster.replica(cluster.shardOf(key)), key)).isEqualTo("1");
				}

				RedisServer behind = cluster.replica(0);
				behind.fallBehind(cluster.primaries().get(0));
				try {
					replicated = pipeline.run((calls) -> {
						calls.call(ADD, List.of(keys.get(1)), "1");
						calls.call(ADD, List.of(keys.get(2)), "1");
					}, 1, TIMEOUT);
					assertThat(replicated.replicas()).as("the shard behind took nothing").isEqualTo(1);

					replicated = pipeline.run((calls) -> {
						calls.call(ADD, List.of(keys.get(0)), "1");
						calls.call(ADD, List.of(keys.get(1)), "1");
					}, 1, TIMEOUT);
					assertThat(replicated.replies()).containsExactly(2L, 3L);
					assertThat(replicated.replicas()).isZero();
				}
				finally {
					behind.resume();
				}
			});
		}
	}

	/** One key per shard, in shard order. */
	private static List<String> keysOnEveryShard(RedisCluster cluster) {
		String[] keys = new String[cluster.primaries().size()];
		int found = 0;
		for (int i = 0; found < keys.length; i++) {
			String key = "{user-" + i + "}:counter";
			int shard = cluster.shardOf(key);
			if (keys[shard] == null) {
				keys[shard] = key;
				found++;
			}
		}
		return List.of(keys);
	}

	private static @Nullable String readOnReplica(RedisServer replica, String key) {
		RedisClient client = RedisClient.create(RedisURI.create(replica.host(), replica.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().readOnly();
			return connection.sync().get(key);
		}
		finally {
			client.shutdown();
		}
	}

	private static void withPipeline(RedisConfiguration configuration, Consumer<ScriptPipeline> test) {
		LettuceConnectionFactory connections = (configuration instanceof RedisClusterConfiguration cluster)
				? new LettuceConnectionFactory(cluster)
				: new LettuceConnectionFactory((RedisStandaloneConfiguration) configuration);
		connections.afterPropertiesSet();
		connections.start();
		try {
			test.accept(new ScriptPipeline(new StringRedisTemplate(connections), ADD));
		}
		finally {
			connections.destroy();
		}
	}

}
