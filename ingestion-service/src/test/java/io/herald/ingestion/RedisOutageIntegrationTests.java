package io.herald.ingestion;

import io.herald.infra.RedisServer;
import io.herald.infra.SharedInfra;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away and comes back: reads of the status view and publishes that need an
 * idempotency claim answer {@code 503} with {@code Retry-After}, never {@code 500}, and
 * work again once Redis is back. The connections to Redis are replaced (the connection
 * factory stopped and started): the rate limit still holds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedisOutageIntegrationTests {

	private static final RedisServer redis = RedisServer.builder().build().start();

	@LocalServerPort
	int port;

	@Autowired
	LettuceConnectionFactory connectionFactory;

	@Autowired
	MeterRegistry meters;

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

	@Test
	void theRateLimitHoldsAfterTheConnectionFactoryReplacedItsClient() {
		TestApi api = new TestApi(this.port);
		assertThat(tenRequestsOfTheLimitedKey(api)).as("before").contains(429);
		double letThrough = this.meters.counter("herald.ingestion.ratelimit.unavailable").count();

		this.connectionFactory.stop();
		this.connectionFactory.start();

		assertThat(tenRequestsOfTheLimitedKey(api)).as("after").contains(429);
		assertThat(this.meters.counter("herald.ingestion.ratelimit.unavailable").count())
			.as("requests let through for want of Redis")
			.isEqualTo(letThrough);
	}

	/**
	 * Ten requests in a row of a key that allows 1 event per second with a burst of 2:
	 * they cannot all pass.
	 */

	private static List<Integer> tenRequestsOfTheLimitedKey(TestApi api) {
		return IntStream.range(0, 10)
			.mapToObj((i) -> api.post("/v1/events", TestApi.ACME_LIMITED_KEY, TestApi.event("u-1")).status())
			.toList();
	}

}
