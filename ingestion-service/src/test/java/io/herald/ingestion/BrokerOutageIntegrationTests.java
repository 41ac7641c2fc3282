package io.herald.ingestion;

import io.herald.events.EventAccepted;
import io.herald.events.EventCancelled;
import io.herald.events.Recipients;
import io.herald.events.Topics;
import io.herald.infra.KafkaBroker;
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
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event log goes away and comes back: requests get {@code 503} with
 * {@code Retry-After} instead of hanging, nothing is half-written, and a retry with the
 * same idempotency key (or of a cancellation) succeeds once the broker is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class BrokerOutageIntegrationTests {

	private static final KafkaBroker broker = KafkaBroker.builder().build().start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestApi.registerProperties(registry, broker::bootstrapServers, () -> SharedInfra.redis().port());
	}

	/**
	 * The broker closes with the application context, after the context's consumers have
	 * stopped, so that none of them waits for a broker that is gone.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class BrokerLifetime {

		@Bean
		DisposableBean outageTestBroker() {
			return broker::close;
		}

	}

	@Test
	void brokerDownMeans503ThenRecovery() {
		TestApi api = new TestApi(this.port);
		String key = "outage-" + UUID.randomUUID();
		assertThat(api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1")).status()).isEqualTo(202);

		broker.stop();
		try {
			// The request ends within the client's 30 s limit: it does not hang on the
			// broker.
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
		assertThat(
				api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1", key)).json().get("status").stringValue())
			.isEqualTo("duplicate");

		List<EventAccepted> withKey = await().atMost(Duration.ofSeconds(30))
			.until(() -> eventsWithKey(key), (events) -> !events.isEmpty());
		// The failed attempt and the retry share one event id, so even if the failed
		// attempt had reached the log after all, downstream stages would see one event.
		assertThat(withKey).extracting(EventAccepted::eventId).containsOnly(eventId);
	}

	@Test
	void aDeleteWhileTheBrokerIsDownIs503AndARetryCancelsWithTheEventsRecipients() {
		TestApi api = new TestApi(this.port);
		TestApi.Response accepted = api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-outage-cancel"));
		assertThat(accepted.status()).isEqualTo(202);
		String eventId = accepted.json().get("eventId").stringValue();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api.get("/v1/events/" + eventId, TestApi.ACME_KEY).status() == 200);

		broker.stop();
		try {
			// The event cannot be read back: answered as an outage, not cancelled without
			// recipients.
			TestApi.Response down = api.delete("/v1/events/" + eventId, TestApi.ACME_KEY);
			assertThat(down.status()).isEqualTo(503);
			assertThat(down.header("Retry-After")).isEqualTo("5");
			assertThat(down.json().get("code").stringValue()).isEqualTo("event_log_unavailable");
			assertThat(api.get("/v1/events/" + eventId, TestApi.ACME_KEY).json().has("cancelledAt")).isFalse();
		}
		finally {
			broker.start();
		}

		TestApi.Response retried = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> api.delete("/v1/events/" + eventId, TestApi.ACME_KEY), (response) -> response.status() != 503);
		assertThat(retried.status()).isEqualTo(202);
		List<EventCancelled> cancellations = await().atMost(Duration.ofSeconds(30))
			.until(() -> EventLog.readAll(broker.bootstrapServers(), Topics.EVENTS.name())
				.stream()
				.filter((record) -> EventCancelled.isCancellation(record.headers()))
				.map((record) -> EventCancelled.CODEC.decode(record.value()))
				.filter((cancellation) -> cancellation.eventId().equals(eventId))
				.toList(), (found) -> !found.isEmpty());
		assertThat(cancellations).singleElement().satisfies((cancellation) -> {
			assertThat(cancellation.recipients()).isEqualTo(new Recipients.Users(List.of("u-outage-cancel")));
			assertThat(cancellation.cancelledAt())
				.isEqualTo(Instant.parse(retried.json().get("cancelledAt").stringValue()));
		});
	}

	private static List<EventAccepted> eventsWithKey(String key) {
		return EventLog.events(broker.bootstrapServers())
			.stream()
			.map((record) -> Topics.EVENTS.codec().decode(record.value()))
			.filter((event) -> key.equals(event.idempotencyKey()))
			.toList();
	}

}
