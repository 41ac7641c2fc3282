package io.herald.ingestion;

import io.herald.events.EventAccepted;
import io.herald.events.Topics;
import io.herald.infra.KafkaBroker;
import io.herald.infra.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event log goes away and comes back: requests get {@code 503} with {@code Retry-After}
 * instead of hanging, nothing is half-written, and a retry with the same idempotency key
 * succeeds once the broker is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BrokerOutageIntegrationTests {

	private static final KafkaBroker broker = KafkaBroker.builder().build().start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestApi.registerProperties(registry, broker::bootstrapServers, () -> SharedInfra.redis().port());
	}

	@AfterAll
	static void closeBroker() {
		broker.close();
	}

	@Test
	void brokerDownMeans503ThenRecovery() {
		TestApi api = new TestApi(this.port);
		String key = "outage-" + UUID.randomUUID();
		assertThat(api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1")).status()).isEqualTo(202);

		broker.stop();
		try {
			// The request ends within the client's 30 s limit: it does not hang on the broker.
			TestApi.Response down = api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1", key));
			assertThat(down.status()).isEqualTo(503);
			assertThat(down.header("Retry-After")).isEqualTo("5");
			assertThat(down.json().get("code").stringValue()).isEqualTo("event_log_unavailable");
			TestApi.Response batch = api.post("/v1/events:batch", TestApi.ACME_KEY,
					"{\"events\": [" + TestApi.event("u-1") + "]}");
			assertThat(batch.json().get("results").get(0).get("status").stringValue()).isEqualTo("rejected");
			assertThat(batch.json().get("results").get(0).get("problem").get("status").intValue()).isEqualTo(503);
		}
		finally {
			broker.start();
		}

		TestApi.Response retried = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1", key)),
					(response) -> response.status() != 503);
		assertThat(retried.status()).isEqualTo(202);
		String eventId = retried.json().get("eventId").stringValue();
		assertThat(api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1", key)).json().get("status")
			.stringValue()).isEqualTo("duplicate");

		List<EventAccepted> withKey = await().atMost(Duration.ofSeconds(30))
			.until(() -> eventsWithKey(key), (events) -> !events.isEmpty());
		// The failed attempt and the retry share one event id, so even if the failed attempt had
		// reached the log after all, downstream stages would see one event.
		assertThat(withKey).extracting(EventAccepted::eventId).containsOnly(eventId);
	}

	private static List<EventAccepted> eventsWithKey(String key) {
		return EventLog.events(broker.bootstrapServers())
			.stream()
			.map((record) -> Topics.EVENTS.codec().decode(record.value()))
			.filter((event) -> key.equals(event.idempotencyKey()))
			.toList();
	}

}
