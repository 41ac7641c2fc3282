package io.herald.ingestion;

import io.herald.infra.SharedInfra;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event larger than the event log accepts for one record is a permanent rejection
 * naming the limit, never a {@code 503} that invites a retry that can never succeed. The
 * log's limit is set far below the API's here, so that an otherwise valid event crosses
 * it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.kafka.producer.properties.max.request.size=4000")
class EventLogLimitIntegrationTests {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestApi.registerProperties(registry, () -> SharedInfra.kafka().bootstrapServers(),
				() -> SharedInfra.redis().port());
	}

	@Test
	void eventOverTheLogsRecordLimitIs413NamingTheLimit() {
		TestApi api = new TestApi(this.port);
		TestApi.Response response = api.post("/v1/events", TestApi.ACME_KEY, largeEvent());
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.header("Retry-After")).isNull();
		assertThat(response.json().get("code").stringValue()).isEqualTo("payload_too_large");
		assertThat(response.json().get("detail").stringValue()).contains("4000 bytes");
	}

	@Test
	void batchEntryOverTheLogsRecordLimitIsRejectedAloneAsTooLarge() {
		TestApi api = new TestApi(this.port);
		TestApi.Response response = api.post("/v1/events:batch", TestApi.ACME_KEY,
				"{\"events\": [" + largeEvent() + ", " + TestApi.event("u-1") + "]}");
		JsonNode results = response.json().get("results");
		assertThat(results.get(0).get("status").stringValue()).isEqualTo("rejected");
		assertThat(results.get(0).get("problem").get("status").intValue()).isEqualTo(413);
		assertThat(results.get(0).get("problem").get("detail").stringValue()).contains("4000 bytes");
		assertThat(results.get(1).get("status").stringValue()).isEqualTo("accepted");
	}

	@Test
	void eventWithinTheLimitIsStillAccepted() {
		assertThat(new TestApi(this.port).post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1")).status())
			.isEqualTo(202);
	}

	private static String largeEvent() {
		return "{\"type\":\"a\",\"recipients\":{\"all\":true},\"content\":{\"title\":\"t\",\"body\":\""
				+ "x".repeat(8_000) + "\"}}";
	}

}
