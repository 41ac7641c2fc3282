package io.herald.gateway.system;

import io.herald.gateway.InAppLane;
import io.herald.gateway.TestHttp;
import io.herald.gateway.TestTokens;
import io.herald.infra.KafkaBroker;
import io.herald.infra.LogLines;
import io.herald.infra.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway while its broker is down: an acknowledgement over HTTP, whose statuses must reach
 * the broker, answers {@code 503} with {@code Retry-After} instead of a {@code 500}, records
 * nothing, and succeeds once the broker is back. The broker is this class's own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.jwt.tenants[0].tenant=" + BrokerOutageIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET,
				"herald.gateway.inbox.status-timeout=3s" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class BrokerOutageIntegrationTests {

	static final String TENANT = "t-broker-outage";

	private static final KafkaBroker broker = KafkaBroker.builder().build().start();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", broker::bootstrapServers);
		registry.add("spring.data.redis.port", () -> SharedInfra.redis().port());
	}

	@AfterAll
	static void closeBroker() {
		broker.close();
	}

	@Test
	void acknowledgingWhileTheBrokerIsDownIs503AndWorksOnceItIsBack(CapturedOutput output) {
		TestHttp http = new TestHttp(this.port);
		String user = "u-" + UUID.randomUUID();
		String token = TestTokens.token(TENANT, user);
		try (InAppLane lane = new InAppLane(broker.bootstrapServers())) {
			lane.deliver(TENANT, user, 1, 1);
		}
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(http.get("/v1/inbox/unread-count", token).ok().get("count").longValue())
				.isEqualTo(1));

		broker.stop();
		try {
			TestHttp.Response down = http.post("/v1/inbox/ack", token, "{\"upTo\":1}");
			down.assertProblem(503, "service_unavailable");
			assertThat(down.header("Retry-After")).isEqualTo("5");
		}
		finally {
			broker.start();
		}

		TestHttp.Response acknowledged = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> http.post("/v1/inbox/ack", token, "{\"upTo\":1}"), (response) -> response.status() != 503);
		assertThat(acknowledged.status()).isEqualTo(200);
		assertThat(acknowledged.ok().get("ackedUpTo").longValue()).isEqualTo(1);
		assertThat(output.getAll()).doesNotContain("Unexpected failure");
		assertThat(LogLines.errors(output.getAll()).stream().filter((line) -> line.contains(" i.h.")).toList())
			.as("Herald's own errors").isEmpty();
	}

}
