package io.herald.ingestion;

import io.herald.events.Channel;
import io.herald.events.EventAccepted;
import io.herald.events.TemplateDefined;
import io.herald.events.TemplateTexts;
import io.herald.events.Topics;
import io.herald.infra.SharedInfra;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events naming a template are checked against the template catalog that routing
 * publishes; here a test producer stands in for routing's publisher and writes the
 * catalog's records.
 */
class TemplateCatalogIntegrationTests extends IngestionIntegrationTest {

	private KafkaProducer<String, byte[]> catalog;

	@BeforeEach
	void openCatalog() {
		this.catalog = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				SharedInfra.kafka().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
				new ByteArraySerializer());
		// Ready means the catalog is loaded: from here on, a template is either known or
		// not.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(management().get("/actuator/health/readiness", TestApi.ACME_KEY).status())
				.isEqualTo(200));
	}

	@AfterEach
	void closeCatalog() {
		this.catalog.close();
	}

	@Test
	void refusesAnEventNamingAnUnknownTemplate() {
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, templated("no-such", null));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("code").stringValue()).isEqualTo("invalid_event");
		assertThat(response.json().get("errors").get(0).get("field").stringValue()).isEqualTo("template");
		assertThat(response.json().get("errors").get(0).get("message").stringValue())
			.isEqualTo("no template 'no-such' is defined");
	}

	@Test
	void acceptsATemplateOncePublishedAndRefusesItAfterItsTombstone() throws Exception {
		String id = "welcome-" + UUID.randomUUID();
		assertThat(api().post("/v1/events", TestApi.ACME_KEY, templated(id, null)).status()).isEqualTo(400);

		publish(id, TemplateDefined.of(id, List.of("default"), EnumSet.allOf(Channel.class)));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(api().post("/v1/events", TestApi.ACME_KEY, templated(id, null)).status())
				.isEqualTo(202));

		publish(id, null);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(api().post("/v1/events", TestApi.ACME_KEY, templated(id, null)).status())
				.isEqualTo(400));
	}

	@Test
	void refusesAListedChannelTheTemplateDoesNotRender() throws Exception {
		String id = "app-only-" + UUID.randomUUID();
		publish(id, TemplateDefined.of(id, List.of("default"), Set.of(Channel.INAPP, Channel.PUSH)));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(api().post("/v1/events", TestApi.ACME_KEY, templated(id, "[\"inapp\"]")).status())
						.isEqualTo(202));

		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, templated(id, "[\"inapp\", \"sms\"]"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").stringValue()).isEqualTo("channels[1]");
		assertThat(response.json().get("errors").get(0).get("message").stringValue())
			.isEqualTo("template '" + id + "' does not render sms; it renders inapp, push");
	}

	@Test
	void aTenantsOwnTemplateIsUnknownToOtherTenants() throws Exception {
		String id = "own-" + UUID.randomUUID();
		TemplateDefined own = tenantTemplate("acme", id);
		publish(own.key(), own);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(api().post("/v1/events", TestApi.ACME_KEY, templated(id, null)).status())
				.isEqualTo(202));

		TestApi.Response other = api().post("/v1/events", TestApi.GLOBEX_KEY, templated(id, null));
		assertThat(other.status()).isEqualTo(400);
		assertThat(other.json().get("errors").get(0).get("field").stringValue()).isEqualTo("template");
	}

	/**
	 * The template API answers once the catalog record is acknowledged; an event sent
	 * after that answer must be checked against the change, with no wait in between.
	 */
	@Test
	void theFirstEventSentAfterATemplateWriteWasAcknowledgedIsCheckedAgainstIt() throws Exception {
		for (int i = 0; i < 10; i++) {
			String id = "fresh-" + i + "-" + UUID.randomUUID();
			TemplateDefined template = tenantTemplate("acme", id);
			publish(template.key(), template);
			assertThat(api().post("/v1/events", TestApi.ACME_KEY, templated(id, null)).status()).isEqualTo(202);
			publish(template.key(), null);
			assertThat(api().post("/v1/events", TestApi.ACME_KEY, templated(id, null)).status()).isEqualTo(400);
		}
	}

	@Test
	void anAcceptedTemplatedEventCarriesTheCatalogPositionItWasCheckedAgainst() throws Exception {
		String id = "stamped-" + UUID.randomUUID();
		TemplateDefined template = tenantTemplate("acme", id);
		long offset = publish(template.key(), template);
		TestApi.Response accepted = api().post("/v1/events", TestApi.ACME_KEY, templated(id, null));
		assertThat(accepted.status()).isEqualTo(202);
		String eventId = accepted.json().get("eventId").stringValue();

		EventAccepted logged = await().atMost(Duration.ofSeconds(10)).until(() -> logged(eventId), Objects::nonNull);
		assertThat(logged.catalogOffset()).isGreaterThan(offset);
		TestApi.Response literal = api().post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1"));
		String literalId = literal.json().get("eventId").stringValue();
		assertThat(
				await().atMost(Duration.ofSeconds(10)).until(() -> logged(literalId), Objects::nonNull).catalogOffset())
			.isNull();
	}

	@Test
	void anUnknownTemplateRejectsOnlyItsEntryOfABatch() {
		TestApi.Response response = api().post("/v1/events:batch", TestApi.ACME_KEY,
				"{\"events\": [" + templated("no-such", null) + ", " + TestApi.event("u-1") + "]}");

		assertThat(response.status()).isEqualTo(207);
		assertThat(response.json().get("results").get(0).get("status").stringValue()).isEqualTo("rejected");
		assertThat(response.json().get("results").get(0).get("problem").get("errors").get(0).get("field").stringValue())
			.isEqualTo("template");
		assertThat(response.json().get("results").get(1).get("status").stringValue()).isEqualTo("accepted");
	}

	/** Publishes a catalog record and waits for its acknowledgement; its offset. */
	private long publish(String key, @Nullable TemplateDefined template) throws Exception {
		return this.catalog
			.send(new ProducerRecord<>(Topics.TEMPLATES.name(), key,
					(template != null) ? Topics.TEMPLATES.codec().encode(template) : null))
			.get()
			.offset();
	}

	private static TemplateDefined tenantTemplate(String tenant, String id) {
		return TemplateDefined.ofTenant(tenant, id, 1, Instant.now(),
				Map.of("default", new TemplateTexts("Hi {{name}}", "Welcome", null, Map.of())));
	}

	private static @Nullable EventAccepted logged(String eventId) {
		for (ConsumerRecord<String, byte[]> record : EventLog.events(SharedInfra.kafka().bootstrapServers())) {
			EventAccepted event = Topics.EVENTS.codec().decode(record.value());
			if (event != null && event.eventId().equals(eventId)) {
				return event;
			}
		}
		return null;
	}

	private static String templated(String template, @Nullable String channels) {
		return "{\"type\": \"order.shipped\", \"recipients\": {\"users\": [\"u-1\"]}, \"template\": \"" + template
				+ "\"" + ((channels != null) ? ", \"channels\": " + channels : "") + "}";
	}

}
