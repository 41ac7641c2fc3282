package io.herald.routing.user;

import io.herald.infra.FreePorts;
import io.herald.infra.KafkaBroker;
import io.herald.routing.RoutingTestSupport;
import io.herald.routing.RoutingTestSupport.Api;
import io.herald.routing.RoutingTestSupport.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker goes away and comes back: writes get {@code 503} with {@code Retry-After}
 * within a few seconds instead of hanging, and succeed again once the broker is back.
 */
class UserCommandLogOutageIntegrationTests {

	private static KafkaBroker broker;

	private static ConfigurableApplicationContext instance;

	private static int port;

	@BeforeAll
	static void start() {
		broker = KafkaBroker.builder().build().start();
		Map<String, Object> properties = RoutingTestSupport
			.properties(RoutingTestSupport.uniqueApplicationId(UserCommandLogOutageIntegrationTests.class));
		properties.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
		port = FreePorts.find();
		instance = RoutingTestSupport.start(port, properties);
		RoutingTestSupport.awaitRunning(Duration.ofSeconds(60), instance);
	}

	@AfterAll
	static void stop() {
		if (instance != null) {
			instance.close();
		}
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void writesAre503WhileTheBrokerIsDownAndSucceedOnceItIsBack() {
		Api acme = RoutingTestSupport.api(port, RoutingTestSupport.ACME_KEY);
		String user = "u-" + UUID.randomUUID();
		assertThat(acme.put("/v1/users/" + user, "{\"locale\": \"de\"}").status()).isEqualTo(200);

		broker.stop();
		try {
			long start = System.nanoTime();
			Response down = acme.put("/v1/users/" + user, "{\"locale\": \"fr\"}");
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(down.status()).isEqualTo(503);
			assertThat(down.header("Retry-After")).isEqualTo("5");
			assertThat(down.json().get("code").stringValue()).isEqualTo("service_unavailable");
			assertThat(took).as("bounded by the publish timeout").isLessThan(Duration.ofSeconds(10));
		}
		finally {
			broker.start();
		}
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(
					() -> assertThat(acme.put("/v1/users/" + user, "{\"locale\": \"it\"}").status()).isEqualTo(200));
		assertThat(acme.get("/v1/users/" + user).json().get("locale").stringValue()).isEqualTo("it");
	}

}
