package io.herald.infra;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisServerIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Test
	void answersPingAndStoresValues() throws IOException {
		try (RedisServer redis = RedisServer.builder().build().start()) {
			assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
			try (RespClient client = RespClient.connect(redis.host(), redis.port(), TIMEOUT)) {
				assertThat(client.call("PING")).isEqualTo("PONG");
				assertThat(client.call("SET", "greeting", "hello")).isEqualTo("OK");
				assertThat(client.call("GET", "greeting")).isEqualTo("hello");
				assertThat(client.call("GET", "missing")).isNull();
			}
		}
	}

	@Test
	void ephemeralServerPersistsNothing() throws IOException {
		try (RedisServer redis = RedisServer.builder().build().start();
				RespClient client = RespClient.connect(redis.host(), redis.port(), TIMEOUT)) {
			assertThat(client.call("INFO", "persistence")).contains("aof_enabled:0");
		}
	}

	@Test
	void stoppedServerRefusesConnectionsAndStartsAgainOnTheSamePort() throws IOException {
		try (RedisServer redis = RedisServer.builder().build().start()) {
			int port = redis.port();
			redis.stop();
			assertThat(redis.isRunning()).isFalse();
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> RespClient.connect(redis.host(), port, TIMEOUT));

			redis.start();
			assertThat(redis.port()).isEqualTo(port);
			try (RespClient client = RespClient.connect(redis.host(), port, TIMEOUT)) {
				assertThat(client.call("PING")).isEqualTo("PONG");
			}
		}
	}

	@Test
	void persistentServerKeepsDataAcrossRestarts(@TempDir Path data) throws IOException {
		try (RedisServer redis = RedisServer.builder().dataDirectory(data).build().start()) {
			try (RespClient client = RespClient.connect(redis.host(), redis.port(), TIMEOUT)) {
				assertThat(client.call("SET", "kept", "yes")).isEqualTo("OK");
			}
			redis.stop();
			redis.start();
			try (RespClient client = RespClient.connect(redis.host(), redis.port(), TIMEOUT)) {
				assertThat(client.call("GET", "kept")).isEqualTo("yes");
			}
		}
		assertThat(data).isDirectoryContaining("glob:**/redis-server.log");
	}

	@Test
	void killedPersistentServerComesBackWithEveryAcknowledgedWrite(@TempDir Path data) throws IOException {
		try (RedisServer redis = RedisServer.builder().dataDirectory(data).build().start()) {
			try (RespClient client = RespClient.connect(redis.host(), redis.port(), TIMEOUT)) {
				assertThat(client.call("INFO", "persistence")).contains("aof_enabled:1");
				assertThat(client.call("CONFIG", "GET", "appendfsync")).isEqualTo("appendfsync\neverysec");
				assertThat(client.call("CONFIG", "GET", "stream-node-max-bytes"))
					.isEqualTo("stream-node-max-bytes\n" + RedisServer.STREAM_NODE_MAX_BYTES);
				for (int i = 0; i < 1_000; i++) {
					assertThat(client.call("SET", "key-" + i, "value-" + i)).isEqualTo("OK");
				}
			}
			long pid = redis.pid();

			assertThat(redis.kill()).isEqualTo(pid);
			assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid %d after SIGKILL", pid).isEmpty();
			assertThat(redis.isRunning()).isFalse();
			redis.start();

			assertThat(redis.pid()).isPositive().isNotEqualTo(pid);
			try (RespClient client = RespClient.connect(redis.host(), redis.port(), TIMEOUT)) {
				for (int i = 0; i < 1_000; i++) {
					assertThat(client.call("GET", "key-" + i)).isEqualTo("value-" + i);
				}
			}
		}
	}

	@Test
	void killingAStoppedServerFailsClearly() {
		try (RedisServer redis = RedisServer.builder().build()) {
			assertThatIllegalStateException().isThrownBy(redis::kill).withMessageContaining("is not running");
		}
	}

	@Test
	void wrongBinaryPathFailsWithOneClearLine() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisServer.builder().executable(Path.of("/nowhere/redis-server")).build())
			.withMessage(
					"redis-server not found at /nowhere/redis-server: install it (Debian/Ubuntu: apt-get install -y "
							+ "redis-server; macOS: brew install redis) or set HERALD_REDIS_SERVER");
	}

	@Test
	void takenPortFailsWithTheServerLog() {
		try (RedisServer first = RedisServer.builder().build().start();
				RedisServer second = RedisServer.builder().port(first.port()).build()) {
			assertThatIllegalStateException().isThrownBy(second::start)
				.withMessageContaining("redis-server on port " + first.port() + " exited with code")
				.withMessageContaining("redis-server.log");
			assertThat(second.isRunning()).isFalse();
		}
	}

	@Test
	void aReplicaPausedAndCutOffStaysBehindAndIsPromotedWithWhatItHad() throws IOException {
		try (RedisServer primary = RedisServer.builder().build().start();
				RedisServer replica = RedisServer.builder().replicaOf(primary.port()).build().start()) {
			replica.awaitReplicaInSync(Duration.ofSeconds(30));
			try (RespClient client = RespClient.connect(primary.host(), primary.port(), TIMEOUT)) {
				client.call("SET", "before", "1");
				replica.awaitCaughtUpWith(primary, Duration.ofSeconds(30));
				assertThat(replica.call("GET", "before")).isEqualTo("1");
				replica.fallBehind(primary);
				client.call("SET", "after", "2");
				assertThat(client.call("WAIT", "1", "300")).as("no replica has the write").isEqualTo("0");
			}
			replica.takeOverFrom(primary);
			assertThat(primary.isRunning()).isFalse();
			try (RespClient client = RespClient.connect(replica.host(), replica.port(), TIMEOUT)) {
				assertThat(client.call("GET", "before")).isEqualTo("1");
				assertThat(client.call("GET", "after")).as("what never reached the replica").isNull();
				assertThat(client.call("SET", "promoted", "3")).as("the promoted replica takes writes").isEqualTo("OK");
			}
		}
	}

	@Test
	void aPrimaryDropsTheLinksOfItsReplicas() {
		try (RedisServer primary = RedisServer.builder().build().start();
				RedisServer replica = RedisServer.builder().replicaOf(primary.port()).build().start()) {
			replica.awaitReplicaInSync(Duration.ofSeconds(30));
			assertThat(primary.dropReplicas()).isEqualTo(1);
		}
	}

	@Test
	void pausingAServerThatDoesNotRunFailsClearly() {
		try (RedisServer redis = RedisServer.builder().build()) {
			assertThatIllegalStateException().isThrownBy(redis::pause).withMessageContaining("is not running");
		}
	}

}
