package io.herald.ingestion;

import io.herald.events.Topics;
import io.herald.infra.KafkaBroker;
import io.herald.infra.RedisServer;
import io.herald.infra.contract.DocumentSchema;
import io.herald.infra.contract.OpenApiDocument;
import io.herald.infra.contract.ServedOperations;
import io.herald.support.apikey.ApiKeyRegistry;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.kafka.TopicRetention;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event API against its OpenAPI document ({@code /v1/openapi.json}): every handler is
 * documented and every documented operation has one, every answer of a real request has a
 * documented status, schema, problem code and headers, and every documented answer and
 * problem code is produced here, but for the few named in {@link #NOT_PRODUCED_HERE}. The
 * service runs on a broker and a Redis of its own, which the test stops for the
 * {@code 503}s, and without the template catalog's topic, so the catalog never loads and
 * templated events are answered {@code 503}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.kafka.admin.auto-create=false")
@DirtiesContext
class EventApiDocumentIntegrationTests {

	/** Tenant {@code acme}, {@code EVENTS_WRITE} only: may not read statuses. */
	private static final String ACME_WRITER_KEY = "acme-writer-key-0123456789";

	/**
	 * Documented answers this test does not produce, and why: the event log refusing an
	 * event for a reason of its own configuration (an invalid topic, a missing
	 * authorization) needs a broker configured to refuse.
	 */
	private static final Set<String> NOT_PRODUCED_HERE = Set.of(
			"publishEvent 500 (the event log refuses the event: PublishFailuresTests)",
			"publishBatch 207 internal (as publishEvent 500)");

	private static final KafkaBroker broker = KafkaBroker.builder().build().start();

	private static final RedisServer redis = RedisServer.builder().build().start();

	private static final String TEMPLATED = """
			{"type": "order.shipped", "recipients": {"users": ["u-1"]}, "template": "welcome"}""";

	private static final String INVALID = """
			{"type": "Order Shipped", "recipients": {"users": ["u-1"]}, "content": {"title": "t"}}""";

	private static final String WEBHOOK = """
			{"url": "https://example.com/hooks/herald", "states": ["sent", "delivered"], "description": "orders"}""";

	/**
	 * A path parameter: not canonical, refused before anything else
	 * ({@code invalid_request_target}).
	 */
	private static final String NOT_CANONICAL = ";v=1";

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		KafkaTopicsProperties topics = new KafkaTopicsProperties(1, (short) 1, 1);
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			admin.createTopics(List.of(topics.newTopic(Topics.EVENTS.name(), TopicRetention.EVENTS),
					topics.newTopic(Topics.CRITICAL_EVENTS.name(), TopicRetention.EVENTS),
					topics.newTopic(Topics.STATUS.name(), TopicRetention.STATUS)))
				.all()
				.get();
		}
		TestApi.registerProperties(registry, broker::bootstrapServers, redis::port);
		registry.add("herald.api-keys[4].tenant", () -> "acme");
		registry.add("herald.api-keys[4].name", () -> "acme-writer");
		registry.add("herald.api-keys[4].sha256", () -> ApiKeyRegistry.sha256(ACME_WRITER_KEY));
		registry.add("herald.api-keys[4].scopes", () -> "EVENTS_WRITE");
	}

	/**
	 * The broker and Redis close with the application context, after its consumers have
	 * stopped, so that none of them waits for a server that is gone.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class ServersLifetime {

		@Bean
		DisposableBean documentTestServers() {
			return () -> {
				broker.close();
				redis.close();
			};
		}

	}

	@Test
	void theDocumentIsServedWithoutAKeyAndEveryHandlerIsAnOperationOfIt() {
		assertThat(OpenApiDocument.served(this.port).operations()).isEqualTo(ServedOperations.of(this.context));
		HttpResponse<String> asyncApi = send(null, get("/v1/asyncapi.json"));
		assertThat(asyncApi.statusCode()).as("a service without an AsyncAPI document").isEqualTo(404);
		assertThat(asyncApi.body()).contains("\"code\":\"not_found\"");
	}

	@Test
	void theEventsOfTheseTestsAreEventsOfTheDocument() {
		OpenApiDocument document = document();
		DocumentSchema event = DocumentSchema.of(document.json(), document.json().at("/components/schemas/Event"));
		for (String valid : List.of(TestApi.event("u-1"), TestApi.event("u-1", "k-1"), TEMPLATED)) {
			assertThat(event.validate(JsonMapper.shared().readTree(valid))).as(valid).isEmpty();
		}
		assertThat(event.validate(JsonMapper.shared().readTree(INVALID))).isNotEmpty();
	}

	@Test
	void everyAnswerIsAsDocumentedAndEveryDocumentedAnswerOccurs() {
		OpenApiDocument document = document();
		String idempotencyKey = "document-" + UUID.randomUUID();
		HttpResponse<String> accepted = post(TestApi.ACME_KEY, "/v1/events", TestApi.event("u-1", idempotencyKey));
		document.expect("publishEvent", 202, accepted);
		String eventId = JsonMapper.shared().readTree(accepted.body()).get("eventId").stringValue();
		publishEvent(document, idempotencyKey);
		publishBatch(document, idempotencyKey);
		getEventStatus(document, eventId);
		String cancelled = visible(post(TestApi.ACME_KEY, "/v1/events", TestApi.event("u-1")));
		cancelEvent(document, cancelled);
		listEvents(document, eventId);
		listUserDeliveries(document);
		String webhook = webhooks(document);
		whileRedisIsDown(document, eventId, webhook);
		// Accepted after Redis came back empty: the status view knows it.
		String cancelledWhileTheBrokerIsDown = visible(post(TestApi.ACME_KEY, "/v1/events", TestApi.event("u-1")));
		whileTheBrokerIsDown(document, cancelledWhileTheBrokerIsDown);

		assertThat(document.problems()).isEmpty();
		assertThat(document.unseen(NOT_PRODUCED_HERE)).as("documented answers no request produced").isEmpty();
	}

	private void publishEvent(OpenApiDocument document, String idempotencyKey) {
		String event = TestApi.event("u-1");
		document.expect("publishEvent", 200,
				post(TestApi.ACME_KEY, "/v1/events", TestApi.event("u-1", idempotencyKey)));
		document.expect("publishEvent", 400, post(TestApi.ACME_KEY, "/v1/events", INVALID));
		document.expect("publishEvent", 400, post(TestApi.ACME_KEY, "/v1/events", "{\"type\": "));
		document.expect("publishEvent", 400, post(TestApi.ACME_KEY, "/v1/events" + NOT_CANONICAL, event));
		document.expect("publishEvent", 401, post(null, "/v1/events", event));
		document.expect("publishEvent", 403, post(TestApi.ACME_READER_KEY, "/v1/events", event));
		document.expect("publishEvent", 406,
				send(TestApi.ACME_KEY, json("/v1/events", event).header("Accept", "text/csv")));
		document.expect("publishEvent", 413, post(TestApi.ACME_KEY, "/v1/events", withBody("x".repeat(70 * 1024))));
		document.expect("publishEvent", 415,
				send(TestApi.ACME_KEY, get("/v1/events").header("Content-Type", "text/plain")
					.POST(HttpRequest.BodyPublishers.ofString(event))));
		document.expect("publishEvent", 429, rateLimited());
		// The template catalog's topic does not exist: the catalog never loads.
		document.expect("publishEvent", 503, post(TestApi.ACME_KEY, "/v1/events", TEMPLATED));
	}

	private void publishBatch(OpenApiDocument document, String idempotencyKey) {
		String event = TestApi.event("u-1");
		String batch = batch(event, TestApi.event("u-1", idempotencyKey), INVALID, TEMPLATED, largerThanOneEvent());
		HttpResponse<String> results = post(TestApi.ACME_KEY, "/v1/events:batch", batch);
		document.expect("publishBatch", 207, results);
		assertThat(JsonMapper.shared()
			.readTree(results.body())
			.get("results")
			.valueStream()
			.map((result) -> result.get("status").stringValue()))
			.containsExactly("accepted", "duplicate", "rejected", "rejected", "rejected");
		document.expect("publishBatch", 400, post(TestApi.ACME_KEY, "/v1/events:batch", "{\"events\": []}"));
		document.expect("publishBatch", 400, post(TestApi.ACME_KEY, "/v1/events:batch", "{\"events\": ["));
		document.expect("publishBatch", 400, post(TestApi.ACME_KEY, "/v1/events:batch" + NOT_CANONICAL, batch(event)));
		document.expect("publishBatch", 401, post(null, "/v1/events:batch", batch(event)));
		document.expect("publishBatch", 403, post(TestApi.ACME_READER_KEY, "/v1/events:batch", batch(event)));
		document.expect("publishBatch", 406,
				send(TestApi.ACME_KEY, json("/v1/events:batch", batch(event)).header("Accept", "text/csv")));
		String[] many = new String[70];
		Arrays.fill(many, withBody("x".repeat(60 * 1024)));
		document.expect("publishBatch", 413, post(TestApi.ACME_KEY, "/v1/events:batch", batch(many)));
		document.expect("publishBatch", 415,
				send(TestApi.ACME_KEY, get("/v1/events:batch").header("Content-Type", "text/plain")
					.POST(HttpRequest.BodyPublishers.ofString(batch(event)))));
		// More events than the key's burst (two): refused as a whole.
		document.expect("publishBatch", 429,
				post(TestApi.ACME_LIMITED_KEY, "/v1/events:batch", batch(event, event, event)));
	}

	private void getEventStatus(OpenApiDocument document, String eventId) {
		String path = "/v1/events/" + eventId;
		HttpResponse<String> status = await().atMost(Duration.ofSeconds(60))
			.until(() -> send(TestApi.ACME_KEY, get(path)), (response) -> response.statusCode() == 200);
		document.expect("getEventStatus", 200, status);
		document.expect("getEventStatus", 400, send(TestApi.ACME_KEY, get(path + NOT_CANONICAL)));
		document.expect("getEventStatus", 401, send(null, get(path)));
		document.expect("getEventStatus", 403, send(ACME_WRITER_KEY, get(path)));
		document.expect("getEventStatus", 404, send(TestApi.ACME_KEY, get("/v1/events/" + UUID.randomUUID())));
		document.expect("getEventStatus", 404, send(TestApi.GLOBEX_KEY, get(path)));
		document.expect("getEventStatus", 406, send(TestApi.ACME_KEY, get(path).header("Accept", "text/csv")));
	}

	private void cancelEvent(OpenApiDocument document, String eventId) {
		String path = "/v1/events/" + eventId;
		document.expect("cancelEvent", 202, send(TestApi.ACME_KEY, get(path).DELETE()));
		document.expect("cancelEvent", 202, send(TestApi.ACME_KEY, get(path).DELETE()));
		document.expect("cancelEvent", 400, send(TestApi.ACME_KEY, get("/v1/events/a@b").DELETE()));
		document.expect("cancelEvent", 400, send(TestApi.ACME_KEY, get(path + NOT_CANONICAL).DELETE()));
		document.expect("cancelEvent", 401, send(null, get(path).DELETE()));
		document.expect("cancelEvent", 403, send(TestApi.ACME_READER_KEY, get(path).DELETE()));
		document.expect("cancelEvent", 404, send(TestApi.ACME_KEY, get("/v1/events/" + UUID.randomUUID()).DELETE()));
		document.expect("cancelEvent", 404, send(TestApi.GLOBEX_KEY, get(path).DELETE()));
		document.expect("cancelEvent", 406, send(TestApi.ACME_KEY, get(path).header("Accept", "text/csv").DELETE()));
	}

	/** The id of an accepted event, once its status can be read. */
	private String visible(HttpResponse<String> accepted) {
		assertThat(accepted.statusCode()).isEqualTo(202);
		String eventId = JsonMapper.shared().readTree(accepted.body()).get("eventId").stringValue();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> send(TestApi.ACME_KEY, get("/v1/events/" + eventId)).statusCode() == 200);
		return eventId;
	}

	private void listEvents(OpenApiDocument document, String eventId) {
		Instant now = Instant.now();
		String range = "?from=" + now.minusSeconds(3600) + "&to=" + now.plusSeconds(60);
		// The events accepted before this one are listed by now, at least this one and
		// the first.
		HttpResponse<String> page = await().atMost(Duration.ofSeconds(60))
			.until(() -> send(TestApi.ACME_KEY, get("/v1/events" + range + "&limit=1")),
					(response) -> response.body().contains("nextCursor"));
		document.expect("listEvents", 200, page);
		assertThat(send(TestApi.ACME_KEY, get("/v1/events" + range + "&limit=100")).body()).contains(eventId);
		String cursor = JsonMapper.shared().readTree(page.body()).get("nextCursor").stringValue();
		document.expect("listEvents", 200, send(TestApi.ACME_KEY, get("/v1/events" + range + "&cursor=" + cursor)));
		document.expect("listEvents", 200, send(TestApi.GLOBEX_KEY, get("/v1/events" + range)));
		document.expect("listEvents", 400, send(TestApi.ACME_KEY, get("/v1/events?from=yesterday&to=" + now)));
		document.expect("listEvents", 400, send(TestApi.ACME_KEY, get("/v1/events" + range + "&limit=101")));
		document.expect("listEvents", 400, send(TestApi.GLOBEX_KEY, get("/v1/events" + range + "&cursor=" + cursor)));
		document.expect("listEvents", 400, send(TestApi.ACME_KEY, get("/v1/events" + NOT_CANONICAL + range)));
		document.expect("listEvents", 401, send(null, get("/v1/events" + range)));
		document.expect("listEvents", 403, send(ACME_WRITER_KEY, get("/v1/events" + range)));
		document.expect("listEvents", 406,
				send(TestApi.ACME_KEY, get("/v1/events" + range).header("Accept", "text/csv")));
	}

	private void listUserDeliveries(OpenApiDocument document) {
		String path = "/v1/users/u-1/deliveries";
		document.expect("listUserDeliveries", 200, send(TestApi.ACME_KEY, get(path + "?limit=10")));
		document.expect("listUserDeliveries", 400, send(TestApi.ACME_KEY, get("/v1/users/u%20*/deliveries")));
		document.expect("listUserDeliveries", 400, send(TestApi.ACME_KEY, get(path + "?cursor=not-a-cursor")));
		document.expect("listUserDeliveries", 400, send(TestApi.ACME_KEY, get(path + NOT_CANONICAL)));
		document.expect("listUserDeliveries", 401, send(null, get(path)));
		document.expect("listUserDeliveries", 403, send(ACME_WRITER_KEY, get(path)));
		document.expect("listUserDeliveries", 406, send(TestApi.ACME_KEY, get(path).header("Accept", "text/csv")));
	}

	/**
	 * {@code 503} for a status, the lists and an idempotency claim, alone and in a batch.
	 */
	private void whileRedisIsDown(OpenApiDocument document, String eventId, String webhook) {
		redis.stop();
		try {
			document.expect("createWebhook", 503, post(TestApi.ACME_KEY, "/v1/webhooks", WEBHOOK));
			document.expect("listWebhooks", 503, send(TestApi.ACME_KEY, get("/v1/webhooks")));
			document.expect("getWebhook", 503, send(TestApi.ACME_KEY, get(webhook)));
			document.expect("rotateWebhookSecret", 503, send(TestApi.ACME_KEY, rotate(webhook)));
			document.expect("deleteWebhook", 503, send(TestApi.ACME_KEY, get(webhook).DELETE()));
			document.expect("getEventStatus", 503, send(TestApi.ACME_KEY, get("/v1/events/" + eventId)));
			document.expect("cancelEvent", 503, send(TestApi.ACME_KEY, get("/v1/events/" + eventId).DELETE()));
			Instant now = Instant.now();
			document.expect("listEvents", 503,
					send(TestApi.ACME_KEY, get("/v1/events?from=" + now.minusSeconds(60) + "&to=" + now)));
			document.expect("listUserDeliveries", 503, send(TestApi.ACME_KEY, get("/v1/users/u-1/deliveries")));
			String claimed = TestApi.event("u-1", "redis-down-" + UUID.randomUUID());
			document.expect("publishEvent", 503, post(TestApi.ACME_KEY, "/v1/events", claimed));
			HttpResponse<String> results = post(TestApi.ACME_KEY, "/v1/events:batch", batch(claimed));
			document.expect("publishBatch", 207, results);
			assertThat(results.body()).contains("event_log_unavailable");
		}
		finally {
			redis.start();
		}
	}

	private void whileTheBrokerIsDown(OpenApiDocument document, String eventId) {
		broker.stop();
		try {
			document.expect("publishEvent", 503, post(TestApi.ACME_KEY, "/v1/events", TestApi.event("u-1")));
			HttpResponse<String> cancel = send(TestApi.ACME_KEY, get("/v1/events/" + eventId).DELETE());
			document.expect("cancelEvent", 503, cancel);
			assertThat(cancel.body()).contains("event_log_unavailable");
		}
		finally {
			broker.start();
		}
	}

	/**
	 * Every webhook operation; returns the location of an endpoint that is left
	 * registered.
	 */
	private String webhooks(OpenApiDocument document) {
		HttpResponse<String> created = post(TestApi.ACME_KEY, "/v1/webhooks", WEBHOOK);
		document.expect("createWebhook", 201, created);
		String location = created.headers().firstValue("Location").orElseThrow();
		document.expect("createWebhook", 400,
				post(TestApi.ACME_KEY, "/v1/webhooks", "{\"url\": \"ftp://x\", \"states\": []}"));
		document.expect("createWebhook", 400, post(TestApi.ACME_KEY, "/v1/webhooks", "{\"url\": "));
		document.expect("createWebhook", 400, post(TestApi.ACME_KEY, "/v1/webhooks" + NOT_CANONICAL, WEBHOOK));
		document.expect("createWebhook", 401, post(null, "/v1/webhooks", WEBHOOK));
		document.expect("createWebhook", 403, post(TestApi.ACME_READER_KEY, "/v1/webhooks", WEBHOOK));
		document.expect("createWebhook", 406,
				send(TestApi.ACME_KEY, json("/v1/webhooks", WEBHOOK).header("Accept", "text/csv")));
		document.expect("createWebhook", 413, post(TestApi.ACME_KEY, "/v1/webhooks",
				"{\"url\": \"https://example.com/" + "x".repeat(9000) + "\", \"states\": [\"sent\"]}"));
		document.expect("createWebhook", 415,
				send(TestApi.ACME_KEY, get("/v1/webhooks").header("Content-Type", "text/plain")
					.POST(HttpRequest.BodyPublishers.ofString(WEBHOOK))));
		List<String> more = new java.util.ArrayList<>();
		HttpResponse<String> full;
		do {
			full = post(TestApi.GLOBEX_KEY, "/v1/webhooks", WEBHOOK);
			full.headers().firstValue("Location").ifPresent(more::add);
		}
		while (full.statusCode() == 201 && more.size() <= 20);
		document.expect("createWebhook", 409, full);
		more.forEach((endpoint) -> send(TestApi.GLOBEX_KEY, get(endpoint).DELETE()));

		document.expect("listWebhooks", 200, send(TestApi.ACME_KEY, get("/v1/webhooks")));
		document.expect("listWebhooks", 400, send(TestApi.ACME_KEY, get("/v1/webhooks" + NOT_CANONICAL)));
		document.expect("listWebhooks", 401, send(null, get("/v1/webhooks")));
		document.expect("listWebhooks", 403, send(ACME_WRITER_KEY, get("/v1/webhooks")));
		document.expect("listWebhooks", 406, send(TestApi.ACME_KEY, get("/v1/webhooks").header("Accept", "text/csv")));

		document.expect("getWebhook", 200, send(TestApi.ACME_KEY, get(location)));
		document.expect("getWebhook", 400, send(TestApi.ACME_KEY, get(location + NOT_CANONICAL)));
		document.expect("getWebhook", 401, send(null, get(location)));
		document.expect("getWebhook", 403, send(ACME_WRITER_KEY, get(location)));
		document.expect("getWebhook", 404, send(TestApi.GLOBEX_KEY, get(location)));
		document.expect("getWebhook", 406, send(TestApi.ACME_KEY, get(location).header("Accept", "text/csv")));

		document.expect("rotateWebhookSecret", 200, send(TestApi.ACME_KEY, rotate(location)));
		document.expect("rotateWebhookSecret", 400, send(TestApi.ACME_KEY, rotate(location + NOT_CANONICAL)));
		document.expect("rotateWebhookSecret", 401, send(null, rotate(location)));
		document.expect("rotateWebhookSecret", 403, send(TestApi.ACME_READER_KEY, rotate(location)));
		document.expect("rotateWebhookSecret", 404, send(TestApi.GLOBEX_KEY, rotate(location)));
		document.expect("rotateWebhookSecret", 406,
				send(TestApi.ACME_KEY, rotate(location).header("Accept", "text/csv")));

		String doomed = post(TestApi.ACME_KEY, "/v1/webhooks", WEBHOOK).headers().firstValue("Location").orElseThrow();
		document.expect("deleteWebhook", 400, send(TestApi.ACME_KEY, get(doomed + NOT_CANONICAL).DELETE()));
		document.expect("deleteWebhook", 401, send(null, get(doomed).DELETE()));
		document.expect("deleteWebhook", 403, send(TestApi.ACME_READER_KEY, get(doomed).DELETE()));
		document.expect("deleteWebhook", 404, send(TestApi.GLOBEX_KEY, get(doomed).DELETE()));
		document.expect("deleteWebhook", 406,
				send(TestApi.ACME_KEY, get(doomed).header("Accept", "text/csv").DELETE()));
		document.expect("deleteWebhook", 204, send(TestApi.ACME_KEY, get(doomed).DELETE()));
		return location;
	}

	private HttpRequest.Builder rotate(String location) {
		return get(location + "/secret").POST(HttpRequest.BodyPublishers.noBody());
	}

	/** Single events of the key limited to one a second, until one is refused. */
	private HttpResponse<String> rateLimited() {
		HttpResponse<String> response;
		int sent = 0;
		do {
			response = post(TestApi.ACME_LIMITED_KEY, "/v1/events", TestApi.event("u-1"));
		}
		while (response.statusCode() == 202 && ++sent < 20);
		return response;
	}

	/**
	 * An event of 64 KiB and more, though none of its strings is longer than the parser
	 * takes.
	 */
	private static String largerThanOneEvent() {
		String part = "x".repeat(30 * 1024);
		return """
				{"type": "a", "recipients": {"all": true}, "content": {"title": "t", "body": "b"},
				 "data": {"a": "%s", "b": "%s", "c": "%s"}}""".formatted(part, part, part);
	}

	private static String withBody(String body) {
		return """
				{"type": "a", "recipients": {"all": true}, "content": {"title": "t", "body": "%s"}}""".formatted(body);
	}

	private static String batch(String... events) {
		return "{\"events\": [" + String.join(", ", events) + "]}";
	}

	private OpenApiDocument document() {
		return OpenApiDocument.served(this.port);
	}

	private HttpResponse<String> post(@Nullable String apiKey, String path, String body) {
		return send(apiKey, json(path, body));
	}

	private HttpRequest.Builder get(String path) {
		return new TestApi(this.port).request(path);
	}

	private HttpRequest.Builder json(String path, String body) {
		return get(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpResponse<String> send(@Nullable String apiKey, HttpRequest.Builder request) {
		if (apiKey != null) {
			request.header("Authorization", "Bearer " + apiKey);
		}
		return new TestApi(this.port).send(request).raw();
	}

}
