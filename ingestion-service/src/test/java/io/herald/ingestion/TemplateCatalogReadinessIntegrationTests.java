package io.herald.ingestion;

import io.herald.events.Channel;
import io.herald.events.TemplateDefined;
import io.herald.events.Topics;
import io.herald.infra.KafkaBroker;
import io.herald.infra.SharedInfra;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.kafka.TopicRetention;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Until the template catalog is loaded, the service is not ready and events naming a
 * template are answered {@code 503} with {@code Retry-After}; events with literal content
 * are accepted. The catalog topic is missing at first (nothing creates it here), so the
 * catalog cannot load until the test creates and fills it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.kafka.admin.auto-create=false")
@DirtiesContext
class TemplateCatalogReadinessIntegrationTests {

	private static final KafkaBroker broker = KafkaBroker.builder().build().start();

	private static final KafkaTopicsProperties TOPICS = new KafkaTopicsProperties(1, (short) 1, 1);

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		try (Admin admin = admin()) {
			admin.createTopics(List.of(TOPICS.newTopic(Topics.EVENTS.name(), TopicRetention.EVENTS),
					TOPICS.newTopic(Topics.STATUS.name(), TopicRetention.STATUS)))
				.all()
				.get();
		}
		TestApi.registerProperties(registry, broker::bootstrapServers, () -> SharedInfra.redis().port());
	}

	/**
	 * The broker closes with the application context, after the context's consumers have
	 * stopped, so that none of them waits for a broker that is gone.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class BrokerLifetime {

		@Bean
		DisposableBean templateReadinessBroker() {
			return broker::close;
		}

	}

	@Test
	void notReadyAndTemplatedEventsRetriedUntilTheCatalogIsLoaded() throws Exception {
		TestApi api = new TestApi(this.port);
		TestApi management = new TestApi(this.managementPort);
		String templated = "{\"type\": \"order.shipped\", \"recipients\": {\"users\": [\"u-1\"]}, "
				+ "\"template\": \"welcome\"}";

		assertThat(management.get("/actuator/health/readiness", TestApi.ACME_KEY).status()).isEqualTo(503);
		TestApi.Response loading = api.post("/v1/events", TestApi.ACME_KEY, templated);
		assertThat(loading.status()).isEqualTo(503);
		assertThat(loading.header("Retry-After")).isEqualTo("5");
		assertThat(loading.json().get("code").stringValue()).isEqualTo("service_unavailable");
		assertThat(api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1")).status()).isEqualTo(202);

		try (Admin admin = admin()) {
			admin.createTopics(List.of(TOPICS.newCompactedTopic(Topics.TEMPLATES.name()))).all().get();
		}
		try (KafkaProducer<String, byte[]> catalog = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
				new ByteArraySerializer())) {
			catalog
				.send(new ProducerRecord<>(Topics.TEMPLATES.name(), "welcome",
						Topics.TEMPLATES.codec()
							.encode(TemplateDefined.of("welcome", List.of("default"), EnumSet.allOf(Channel.class)))))
				.get();
		}

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(management.get("/actuator/health/readiness", TestApi.ACME_KEY).status())
				.isEqualTo(200));
		assertThat(api.post("/v1/events", TestApi.ACME_KEY, templated).status()).isEqualTo(202);
	}

	private static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
	}

}
