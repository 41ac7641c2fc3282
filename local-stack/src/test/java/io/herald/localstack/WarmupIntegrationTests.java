package io.herald.localstack;

import java.util.List;

import io.herald.infra.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a warm-up left in a real Redis is erased, and nothing of any other tenant. */
class WarmupIntegrationTests {

	@Test
	void erasingTakesTheWarmupTenantsKeysAndNoOtherTenants() {
		List<String> warmup = List.of("herald:inbox:{herald-warmup:bench-warmup-7}:ids",
				"herald:inbox:{herald-warmup:bench-warmup-7}:stream",
				"herald:status:{herald-warmup:6f1c0b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f}:summary",
				"herald:ratelimit:herald-warmup:warmup");
		List<String> others = List.of("herald:inbox:{demo:u-42}:ids", "herald:inbox:{herald-warmup2:u-1}:ids",
				"herald:inbox:{demo:herald-warmup}:ids", "herald:inbox:{demo:a:herald-warmup:b}:ids",
				"herald:ratelimit:herald-warmup2:warmup", "herald:ratelimit:demo:demo");
		try (RedisServer server = RedisServer.builder().build().start()) {
			RedisClient client = RedisClient.create(server.uri());
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				RedisCommands<String, String> redis = connection.sync();
				for (int i = 0; i < 2_500; i++) {
					redis.set("herald:status:{herald-warmup:event-" + i + "}:meta", "x");
				}
				warmup.forEach((key) -> redis.set(key, "x"));
				others.forEach((key) -> redis.set(key, "x"));

				assertThat(Warmup.erase(server.uri())).isEqualTo(2_500 + warmup.size());

				assertThat(redis.keys("*")).containsExactlyInAnyOrderElementsOf(others);
				assertThat(Warmup.erase(server.uri())).isZero();
			}
			finally {
				client.shutdown();
			}
		}
	}

}
