package io.herald.ingestion;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.infra.KafkaBroker;
import io.herald.infra.RedisCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lists on a Redis Cluster of three primaries, where a user's recent deliveries live
 * in another slot than the event's status and are written by calls of their own. The
 * service runs on a broker of its own, so that no other test's status view takes its
 * records.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class StatusListsOnRedisClusterIntegrationTests {

	private static final KafkaBroker broker = KafkaBroker.builder().build().start();

	private static final RedisCluster cluster = RedisCluster.start(3, false);

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestApi.registerProperties(registry, broker::bootstrapServers, () -> 0);
		registry.add("spring.data.redis.cluster.nodes", cluster::seeds);
	}

	/**
	 * The servers close with the application context, after its consumers have stopped.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class ServersLifetime {

		@Bean
		DisposableBean clusterTestServers() {
			return () -> {
				broker.close();
				cluster.close();
			};
		}

	}

	@Test
	void listsEventsAndAUsersDeliveriesOnACluster() {
		TestApi api = new TestApi(this.port);
		Instant from = Instant.now().minusMillis(1);
		String user = "u-" + UUID.randomUUID();
		String first = api.post("/v1/events", TestApi.ACME_KEY, TestApi.event(user))
			.json()
			.get("eventId")
			.stringValue();
		String second = api.post("/v1/events", TestApi.ACME_KEY, TestApi.event(user))
			.json()
			.get("eventId")
			.stringValue();
		Instant t0 = Instant.now();
		try (KafkaProducer<String, byte[]> stage = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
				new ByteArraySerializer())) {
			for (StatusReported status : new StatusReported[] {
					StatusReported.of("acme", first, user, Channel.INAPP, DeliveryState.DELIVERED, t0),
					StatusReported.of("acme", second, user, Channel.PUSH, DeliveryState.QUEUED, t0.plusMillis(1)),
					new StatusReported(1, "acme", second, user, Channel.PUSH, "ios:1a2b", DeliveryState.SENT, null,
							null, "apns-1", null, t0.plusMillis(2)) }) {
				stage.send(new ProducerRecord<>(Topics.STATUS.name(), PartitionKeys.event("acme", second),
						Topics.STATUS.codec().encode(status)));
			}
		}

		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
			JsonNode events = api.get("/v1/events?from=" + from + "&to=" + from.plusSeconds(3600), TestApi.ACME_KEY)
				.json();
			assertThat(events.get("events").findValuesAsString("eventId")).containsExactly(second, first);
			JsonNode deliveries = api.get("/v1/users/" + user + "/deliveries", TestApi.ACME_KEY)
				.json()
				.get("deliveries");
			// The push's queued entry is in the index still, but its record gave way to
			// the device's: it is skipped.
			assertThat(deliveries.findValuesAsString("eventId")).containsExactly(second, first);
			assertThat(deliveries.get(0).get("device").stringValue()).isEqualTo("ios:1a2b");
			assertThat(deliveries.get(1).get("state").stringValue()).isEqualTo("delivered");
		});
		// Pages of one: the skipped entry leaves one page empty, but with a cursor; the
		// walk goes on.
		List<String> walked = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = api
				.get("/v1/users/" + user + "/deliveries?limit=1" + ((cursor != null) ? "&cursor=" + cursor : ""),
						TestApi.ACME_KEY)
				.json();
			walked.addAll(page.get("deliveries").findValuesAsString("eventId"));
			cursor = page.has("nextCursor") ? page.get("nextCursor").stringValue() : null;
			pages++;
		}
		while (cursor != null && pages < 10);
		assertThat(walked).containsExactly(second, first);
		assertThat(pages).isEqualTo(3);
	}

}
