package io.herald.gateway;

import io.herald.infra.SharedInfra;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.UUID;

/**
 * A gateway on a random port, on the shared broker and Redis, with the in-app lane to
 * feed it as routing does, and a fresh user for every test. Subclasses declare their
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT, properties = ...)} with the JWT
 * tenants.
 */
public abstract class GatewayIntegrationTest extends FedGatewayTest {

	protected static final Duration TIMEOUT = Duration.ofSeconds(60);

	protected String user;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> SharedInfra.kafka().bootstrapServers());
		registry.add("spring.data.redis.port", () -> SharedInfra.redis().port());
	}

	@BeforeEach
	void newUser() {
		this.user = "u-" + UUID.randomUUID();
	}

}
