package io.herald.ingestion;

import io.herald.infra.RedisServer;
import io.herald.infra.SharedInfra;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away and comes back: reads of the status view and publishes that need an
 * idempotency claim answer {@code 503} with {@code Retry-After}, never {@code 500}, and
 * work again once Redis is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedisOutageIntegrationTests {

	private static final RedisServer redis = RedisServer.builder().build().start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestApi.registerProperties(registry, () -> SharedInfra.kafka().bootstrapServers(), redis::port);
	}

	/**
	 * Redis closes with the application context, after the context's consumers have
	 * stopped, so that none of them waits for a server that is gone.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class RedisLifetime {

		@Bean
		DisposableBean outageTestRedis() {
			return redis::close;
		}

	}

	@Test
	void redisDownMeans503ThenRecovery() {
		TestApi api = new TestApi(this.port);
		String eventId = api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1"))
			.json()
			.get("eventId")
			.stringValue();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api.get("/v1/events/" + eventId, TestApi.ACME_KEY).status() == 200);

		redis.stop();
		try {
			TestApi.Response status = api.get("/v1/events/" + eventId, TestApi.ACME_KEY);
			assertThat(status.status()).isEqualTo(503);
			assertThat(status.header("Retry-After")).isEqualTo("5");
			assertThat(status.header("Content-Type")).startsWith("application/problem+json");
			assertThat(status.json().get("code").stringValue()).isEqualTo("service_unavailable");

			TestApi.Response claimed = api.post("/v1/events", TestApi.ACME_KEY,
					TestApi.event("u-1", "redis-outage-" + UUID.randomUUID()));
			assertThat(claimed.status()).isEqualTo(503);
			assertThat(claimed.header("Retry-After")).isEqualTo("5");
		}
		finally {
			redis.start();
		}

		// The restarted Redis may have lost what it held: an event accepted now shows up
		// again.
		String after = api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1"))
			.json()
			.get("eventId")
			.stringValue();
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> api.get("/v1/events/" + after, TestApi.ACME_KEY).status() == 200);
	}

}
