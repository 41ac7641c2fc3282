package io.herald.gateway;

import io.herald.infra.RedisServer;
import io.herald.infra.SharedInfra;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A gateway on a random port, on the shared broker but on a Redis that its tests may stop
 * and start to see what the gateway does without it, with the in-app lane to feed it as
 * routing does. The Redis is never the shared one, which other tests need; it serves the
 * test classes that extend this one, which run one after another, and ends with the JVM.
 * Subclasses declare their
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT, properties = ...)} with the JWT
 * tenants, and {@code @DirtiesContext}.
 */
public abstract class OwnRedisGatewayTest extends FedGatewayTest {

	/**
	 * The gateway's Redis: stop it in a {@code try}, start it again in its
	 * {@code finally}.
	 */
	protected static final RedisServer redis = RedisServer.builder().build().start();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> SharedInfra.kafka().bootstrapServers());
		registry.add("spring.data.redis.port", redis::port);
	}

}
