package io.herald.ingestion;

import io.herald.infra.SharedInfra;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;

/**
 * The ingestion service on a random port (and a random management port) against the
 * shared broker and Redis, with the test tenants' keys. Test classes extending it share
 * one application context.
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

	/**
	 * Writes records as the later stages do (routing, delivery and the gateway on
	 * {@code herald.status}), to the shared broker; one for every test class, closed with
	 * the JVM.
	 */
	static KafkaProducer<String, byte[]> stage() {
		return Stage.PRODUCER;
	}

	private static final class Stage {

		static final KafkaProducer<String, byte[]> PRODUCER = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers(),
						ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new ByteArraySerializer());

		static {
			Runtime.getRuntime().addShutdownHook(new Thread(PRODUCER::close));
		}

	}

}
