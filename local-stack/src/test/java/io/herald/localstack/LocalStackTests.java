package io.herald.localstack;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalStackTests {

	private final LocalStackSettings settings = LocalStackSettings.fromEnvironment(
			Map.of("HERALD_DATA_DIR", "/data"), Path.of("/repo"), Path.of("/"));

	private final LocalStack stack = new LocalStack(this.settings, Path.of("/repo"));

	@Test
	void servicesLearnWhereKafkaAndRedisAreAndGetOnlyTheHashOfTheDemoKeyWithAHighRateLimit() {
		Service ingestion = this.settings.services().get(0);
		assertThat(this.stack.serviceEnvironment(ingestion)).containsExactlyInAnyOrderEntriesOf(Map.of(
				"HERALD_KAFKA_BOOTSTRAP", "127.0.0.1:19092",
				"HERALD_REDIS_HOST", "127.0.0.1",
				"HERALD_REDIS_PORT", "16379",
				"SERVER_PORT", "8080",
				"HERALD_APIKEYS_0_TENANT", "demo",
				"HERALD_APIKEYS_0_NAME", "demo",
				// printf demo-key | sha256sum
				"HERALD_APIKEYS_0_SHA256", "c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c",
				"HERALD_APIKEYS_0_EVENTSPERSECOND", "1000000",
				"HERALD_DEMO_JWT_SECRET", "demo-secret-0123456789abcdef0123456789abcdef"));
	}

	@Test
	void readyLineNamesEveryUrlOnOneLine() {
		assertThat(this.stack.readyLine()).isEqualTo(
				"READY ingestion=http://127.0.0.1:8080 kafka=127.0.0.1:19092 redis=127.0.0.1:16379 logs=/data/logs");
	}

	@Test
	void hintShowsACurlCommandWithTheDemoKey() {
		assertThat(this.stack.hint()).contains("curl -s -X POST localhost:8080/v1/events -H 'Authorization: Bearer demo-key'");
	}

}
