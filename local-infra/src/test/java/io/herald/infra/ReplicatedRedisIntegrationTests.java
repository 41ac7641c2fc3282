package io.herald.infra;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ReplicatedRedisIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Test
	void aFailoverPromotesTheReplicaWithWhatItHadAndANewReplicaCopiesIt() throws IOException {
		try (ReplicatedRedis redis = ReplicatedRedis.start()) {
			RedisServer first = redis.primary();
			call(first, "SET", "replicated", "1");
			assertThat(call(first, "WAIT", "1", "5000")).isEqualTo("1");
			redis.replicaFallsBehind();
			call(first, "SET", "lost", "2");

			RedisServer promoted = redis.failOver();

			assertThat(first.isRunning()).isFalse();
			assertThat(redis.primary()).isSameAs(promoted);
			assertThatIllegalStateException().isThrownBy(redis::replica).withMessageContaining("no replica");
			assertThat(call(promoted, "GET", "replicated")).isEqualTo("1");
			assertThat(call(promoted, "GET", "lost")).isNull();
			RedisServer added = redis.addReplica();
			assertThat(redis.replica()).isSameAs(added);
			assertThat(call(added, "GET", "replicated")).isEqualTo("1");
		}
	}

	private static String call(RedisServer server, String... command) throws IOException {
		try (RespClient client = RespClient.connect(server.host(), server.port(), TIMEOUT)) {
			return client.call(command);
		}
	}

}
