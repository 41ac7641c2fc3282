package io.herald.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

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
			redis.awaitReplicaCaughtUp();
			assertThat(call(redis.replica(), "GET", "replicated")).isEqualTo("1");
			redis.replicaFallsBehind();
			call(first, "SET", "lost", "2");

			RedisServer promoted = redis.failOver();

			assertThat(first.isRunning()).isFalse();
			assertThat(redis.primary()).isSameAs(promoted);
			assertThatIllegalStateException().isThrownBy(redis::replica).withMessageContaining("no replica");
			assertThat(call(promoted, "GET", "replicated")).as(() -> logs(first, promoted)).isEqualTo("1");
			assertThat(call(promoted, "GET", "lost")).as(() -> logs(first, promoted)).isNull();
			RedisServer added = redis.addReplica();
			assertThat(redis.replica()).isSameAs(added);
			assertThat(call(added, "GET", "replicated")).isEqualTo("1");
		}
	}

	/** What the two servers logged, for a failure's message. */
	private static String logs(RedisServer primary, RedisServer replica) {
		StringBuilder logs = new StringBuilder();
		for (RedisServer server : List.of(primary, replica)) {
			logs.append("\nredis-server on port ").append(server.port()).append(" logged:\n");
			try {
				logs.append(Files.readString(server.logFile()));
			}
			catch (IOException ex) {
				logs.append(ex);
			}
		}
		return logs.toString();
	}

	private static String call(RedisServer server, String... command) throws IOException {
		try (RespClient client = RespClient.connect(server.host(), server.port(), TIMEOUT)) {
			return client.call(command);
		}
	}

}
