package io.herald.infra;

import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisClusterIntegrationTests {

	@Test
	void threeShardsServeEverySlotAndAFailedPrimaryIsReplacedByItsReplica() {
		try (RedisCluster cluster = RedisCluster.start(3, true)) {
			assertThat(cluster.primaries()).hasSize(3);
			assertThat(cluster.seeds().split(",")).hasSize(3);
			Set<Integer> serving = new HashSet<>();
			for (int i = 0; i < 30; i++) {
				String key = "{user-" + i + "}:inbox";
				RedisServer primary = cluster.primaryOf(key);
				serving.add(primary.port());
				// The node that serves a key takes it; the others redirect.
				assertThat(primary.call("SET", key, "1")).isEqualTo("OK");
				assertThat(primary.call("WAIT", "1", "5000")).isEqualTo("1");
			}
			assertThat(serving).hasSize(3);

			RedisServer before = cluster.primaryOf("{user-0}:inbox");
			RedisServer promoted = cluster.failOver(cluster.primaries().indexOf(before));

			assertThat(before.isRunning()).isFalse();
			assertThat(cluster.primaryOf("{user-0}:inbox")).isSameAs(promoted);
			assertThat(promoted.call("GET", "{user-0}:inbox")).isEqualTo("1");
			assertThat(String.valueOf(promoted.call("CLUSTER", "INFO"))).contains("cluster_state:ok");
			int shard = cluster.primaries().indexOf(promoted);
			assertThatIllegalStateException().isThrownBy(() -> cluster.failOver(shard))
				.withMessageContaining("no replica");

			RedisServer rejoined = cluster.rejoin(shard);
			assertThat(rejoined).isSameAs(before);
			assertThat(cluster.replica(shard)).isSameAs(before);
			assertThat(promoted.call("SET", "{user-0}:inbox", "2")).isEqualTo("OK");
			assertThat(promoted.call("WAIT", "1", "5000")).isEqualTo("1");
		}
	}

	@Test
	void aKeyOfAnotherShardIsRedirected() {
		try (RedisCluster cluster = RedisCluster.start(3, false)) {
			String key = "{elsewhere}";
			RedisServer owner = cluster.primaryOf(key);
			RedisServer other = cluster.primaries()
				.stream()
				.filter((server) -> server != owner)
				.findFirst()
				.orElseThrow();
			assertThat(owner.call("SET", key, "1")).isEqualTo("OK");
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> other.call("GET", key))
				.withMessageContaining("MOVED");
		}
	}

}
