package io.herald.routing;

import io.herald.routing.RoutingTestSupport.Api;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

/**
 * A routing instance on a random port, on the shared broker and Redis, for tests that
 * talk to its HTTP API as a product service would ({@link RoutingTestSupport}). Each test
 * class gets an instance of its own, with an application id of its own, closed after the
 * class, so that test classes never share Kafka Streams state; each test starts once both
 * of its Kafka Streams clients run. A subclass adds settings in a
 * {@code @DynamicPropertySource} of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
public abstract class RoutingApiIntegrationTest {

	@LocalServerPort
	protected int port;

	@Autowired
	protected ApplicationContext context;

	/** Tenant {@code acme}, every scope ({@link RoutingTestSupport#ACME_KEY}). */
	protected Api acme;

	@DynamicPropertySource
	static void routingInstance(DynamicPropertyRegistry registry) {
		// Called again for each test class, whose context is a new one (@DirtiesContext).
		RoutingTestSupport.registerProperties(registry,
				RoutingTestSupport.uniqueApplicationId(RoutingApiIntegrationTest.class));
	}

	@BeforeEach
	void awaitRoutingInstance() {
		RoutingTestSupport.awaitRunning(Duration.ofSeconds(60), this.context);
		this.acme = api(RoutingTestSupport.ACME_KEY);
	}

	/**
	 * Stops this instance's read model, its main Kafka Streams client, which leaves its
	 * group as it stops, so that the client started again does not wait out the old
	 * member's session.
	 * @return the client's factory, to start it again
	 */
	protected StreamsBuilderFactoryBean stopReadModel() {
		StreamsBuilderFactoryBean streams = this.context.getBean(
				"&" + KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_BUILDER_BEAN_NAME,
				StreamsBuilderFactoryBean.class);
		streams.setLeaveGroupOnClose(true);
		streams.stop();
		return streams;
	}

	/**
	 * Talks to this instance with an API key.
	 * @param apiKey the key, or {@code null} for none
	 */
	protected Api api(@Nullable String apiKey) {
		return RoutingTestSupport.api(this.port, apiKey);
	}

}
