package io.herald.ingestion;

import io.herald.infra.SharedInfra;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ingestion service on a random port (and a random management port) against the shared broker and Redis, with the test
 * tenants' keys. Test classes extending it share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class IngestionIntegrationTest {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestApi.registerProperties(registry, () -> SharedInfra.kafka().bootstrapServers(),
				() -> SharedInfra.redis().port());
	}

	TestApi api() {
		return new TestApi(this.port);
	}

	/** The management port, where the actuator is. */
	TestApi management() {
		return new TestApi(this.managementPort);
	}

}
