package io.herald.ingestion;

import io.herald.events.EventAccepted;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import io.herald.events.Topics;
import io.herald.infra.SharedInfra;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventApiIntegrationTests extends IngestionIntegrationTest {

	@Test
	void postedEventIsInTheEventLogWithKeyHeadersAndBody() {
		String user = "u-" + UUID.randomUUID();
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, """
				{"type": "order.shipped", "recipients": {"users": ["%s", "%s", "u-2"]}, "priority": "high",
				 "channels": ["inapp", "email"], "data": {"orderId": "981", "total": 12.50},
				 "content": {"title": "Shipped", "body": "On its way", "overrides": {"sms": {"body": "Shipped!"}}},
				 "expiresAt": "2099-01-01T00:00:00Z", "unknownField": true}""".formatted(user, user));

		assertThat(response.status()).isEqualTo(202);
		assertThat(response.json().get("status").stringValue()).isEqualTo("accepted");
		String eventId = response.json().get("eventId").stringValue();
		ConsumerRecord<String, byte[]> record = awaitRecord(eventId);
		assertThat(record.key()).as("an event for several users is keyed by the event")
			.isEqualTo(PartitionKeys.event("acme", eventId));
		assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.CE_ID)).isEqualTo(eventId);
		assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.CE_SPECVERSION)).isEqualTo("1.0");
		assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.CE_TYPE))
			.isEqualTo("io.herald.event.accepted.v1");
		assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.CE_SOURCE)).isEqualTo("/herald/ingestion");
		assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.CE_SUBJECT)).isEqualTo("order.shipped");
		assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.CE_TIME)).isNotBlank();
		EventAccepted event = Topics.EVENTS.codec().decode(record.value());
		assertThat(event.tenant()).isEqualTo("acme");
		assertThat(event.recipients()).isEqualTo(new Recipients.Users(List.of(user, "u-2")));
		assertThat(event.priority()).isEqualTo(Priority.HIGH);
		assertThat(event.data()).containsEntry("total", new java.math.BigDecimal("12.50"));
		assertThat(event.content().bodyFor(io.herald.events.Channel.SMS)).isEqualTo("Shipped!");
	}

	@Test
	void criticalEventGoesToTheCriticalLogOnlyAndShowsItsStatus() {
		String eventId = accept("""
				{"type": "security.alert", "recipients": {"users": ["u-1"]}, "priority": "critical",
				 "content": {"title": "New sign-in", "body": "Was it you?"}}""");

		ConsumerRecord<String, byte[]> record = await().atMost(Duration.ofSeconds(30))
			.until(() -> findRecord(
					EventLog.readAll(SharedInfra.kafka().bootstrapServers(), Topics.CRITICAL_EVENTS.name()), eventId),
					Optional::isPresent)
			.orElseThrow();
		// An event for one user is keyed by that user: routing finds the user's state on
		// its partition.
		assertThat(record.key()).isEqualTo(PartitionKeys.user("acme", "u-1"));
		assertThat(Topics.CRITICAL_EVENTS.codec().decode(record.value()).priority()).isEqualTo(Priority.CRITICAL);
		assertThat(findRecord(eventId)).as("in herald.events").isEmpty();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			TestApi.Response status = api().get("/v1/events/" + eventId, TestApi.ACME_KEY);
			assertThat(status.status()).isEqualTo(200);
			assertThat(status.json().get("status").stringValue()).isEqualTo("accepted");
		});
	}

	@Test
	void traceContextOfTheRequestContinuesInTheKafkaRecord() {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		TestApi.Response response = api().send(api().request("/v1/events")
			.header("Authorization", "Bearer " + TestApi.ACME_KEY)
			.header("Content-Type", "application/json")
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(TestApi.event("u-1"))));
		assertThat(response.status()).isEqualTo(202);
		ConsumerRecord<String, byte[]> record = awaitRecord(response.json().get("eventId").stringValue());
		assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.TRACEPARENT))
			.matches("00-" + traceId + "-[0-9a-f]{16}-01");
	}

	@Test
	void everyRecordCarriesATraceparent() {
		ConsumerRecord<String, byte[]> record = awaitRecord(accept(TestApi.event("u-1")));
		assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.TRACEPARENT))
			.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
	}

	@Test
	void everyRecordOfABatchCarriesATraceparent() {
		TestApi.Response response = api().post("/v1/events:batch", TestApi.ACME_KEY, """
				{"events": [%s, %s]}""".formatted(TestApi.event("u-1"),
				TestApi.event("u-2", "trace-" + UUID.randomUUID())));

		assertThat(response.status()).isEqualTo(207);
		for (JsonNode result : response.json().get("results")) {
			ConsumerRecord<String, byte[]> record = awaitRecord(result.get("eventId").stringValue());
			assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.TRACEPARENT))
				.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
		}
	}

	@Test
	void acceptedEventShowsAcceptedStatus() {
		String eventId = accept(TestApi.event("u-1"));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			TestApi.Response status = api().get("/v1/events/" + eventId, TestApi.ACME_KEY);
			assertThat(status.status()).isEqualTo(200);
			assertThat(status.json().get("eventId").stringValue()).isEqualTo(eventId);
			assertThat(status.json().get("status").stringValue()).isEqualTo("accepted");
			assertThat(status.json().get("acceptedAt").stringValue()).isNotBlank();
			assertThat(status.json().get("deliveries").isArray()).isTrue();
		});
	}

	@Test
	void readOnlyKeyMayReadStatus() {
		String eventId = accept(TestApi.event("u-1"));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(api().get("/v1/events/" + eventId, TestApi.ACME_READER_KEY).status())
				.isEqualTo(200));
	}

	@Test
	void anotherTenantsEventIsNotFound() {
		String eventId = accept(TestApi.event("u-1"));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(api().get("/v1/events/" + eventId, TestApi.ACME_KEY).status()).isEqualTo(200));
		TestApi.Response response = api().get("/v1/events/" + eventId, TestApi.GLOBEX_KEY);
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().get("code").stringValue()).isEqualTo("not_found");
	}

	@Test
	void unknownEventIsNotFoundAsProblemDetail() {
		TestApi.Response response = api().get("/v1/events/no-such-event", TestApi.ACME_KEY);
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("type").stringValue()).isEqualTo("urn:herald:problem:not_found");
	}

	@Test
	void concurrentRequestsWithOneIdempotencyKeyPublishOnce() {
		String key = "order-" + UUID.randomUUID();
		List<TestApi.Response> responses;
		try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
			List<CompletableFuture<TestApi.Response>> calls = IntStream.range(0, 32)
				.mapToObj((i) -> CompletableFuture
					.supplyAsync(() -> api().post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1", key)), clients))
				.toList();
			responses = calls.stream().map(CompletableFuture::join).toList();
		}
		assertThat(responses).filteredOn((response) -> response.status() == 202).hasSize(1);
		assertThat(responses).filteredOn((response) -> response.status() == 200)
			.hasSize(31)
			.allSatisfy((response) -> assertThat(response.json().get("status").stringValue()).isEqualTo("duplicate"));
		assertThat(responses.stream().map((response) -> response.json().get("eventId").stringValue()).distinct())
			.hasSize(1);
		String eventId = responses.get(0).json().get("eventId").stringValue();
		awaitRecord(eventId);
		assertThat(recordsWithIdempotencyKey(key)).hasSize(1);
	}

	@Test
	void sameIdempotencyKeyOfAnotherTenantIsNotADuplicate() {
		String key = "shared-" + UUID.randomUUID();
		TestApi.Response acme = api().post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1", key));
		TestApi.Response globex = api().post("/v1/events", TestApi.GLOBEX_KEY, TestApi.event("u-1", key));
		assertThat(acme.status()).isEqualTo(202);
		assertThat(globex.status()).isEqualTo(202);
		assertThat(api().post("/v1/events", TestApi.GLOBEX_KEY, TestApi.event("u-1", key)).status()).isEqualTo(200);
	}

	@Test
	void batchAnswersEveryEventInRequestOrder() {
		String key = "batch-" + UUID.randomUUID();
		TestApi.Response response = api().post("/v1/events:batch", TestApi.ACME_KEY, """
				{"events": [
				  %s,
				  {"type": "Bad Type!", "recipients": {"users": ["u-1"]}, "content": {"title": "t", "body": "b"}},
				  %s,
				  %s,
				  "not an object"
				]}""".formatted(TestApi.event("u-1"), TestApi.event("u-2", key), TestApi.event("u-2", key)));

		assertThat(response.status()).isEqualTo(207);
		JsonNode results = response.json().get("results");
		assertThat(results).hasSize(5);
		assertThat(results.get(0).get("status").stringValue()).isEqualTo("accepted");
		assertThat(results.get(1).get("status").stringValue()).isEqualTo("rejected");
		assertThat(results.get(1).get("problem").get("errors").get(0).get("field").stringValue()).isEqualTo("type");
		assertThat(List.of(results.get(2).get("status").stringValue(), results.get(3).get("status").stringValue()))
			.containsExactlyInAnyOrder("accepted", "duplicate");
		assertThat(results.get(2).get("eventId")).isEqualTo(results.get(3).get("eventId"));
		assertThat(results.get(4).get("status").stringValue()).isEqualTo("rejected");
		awaitRecord(results.get(0).get("eventId").stringValue());
		awaitRecord(results.get(2).get("eventId").stringValue());
	}

	@Test
	void rejectsABatchOverTheLimitOrWithoutEvents() {
		String tooMany = IntStream.range(0, 501).mapToObj((i) -> TestApi.event("u-1")).toList().toString();
		for (String body : List.of("{\"events\": " + tooMany + "}", "{\"events\": []}", "{}", "[]")) {
			TestApi.Response response = api().post("/v1/events:batch", TestApi.ACME_KEY, body);
			assertThat(response.status()).as(body.substring(0, Math.min(body.length(), 40))).isEqualTo(400);
			assertThat(response.json().get("code").stringValue()).isEqualTo("invalid_batch");
		}
	}

	@Test
	void keyOverItsRateLimitGets429WithRetryAfter() {
		// The key allows 1 event per second with a burst of 2: ten requests in a row
		// cannot all pass.
		List<TestApi.Response> responses = IntStream.range(0, 10)
			.mapToObj((i) -> api().post("/v1/events", TestApi.ACME_LIMITED_KEY, TestApi.event("u-1")))
			.toList();
		assertThat(responses).extracting(TestApi.Response::status).contains(429).containsOnly(202, 429);
		TestApi.Response limited = responses.stream().filter((response) -> response.status() == 429).findFirst().get();
		assertThat(Integer.parseInt(limited.header("Retry-After"))).isPositive();
		assertThat(limited.json().get("code").stringValue()).isEqualTo("rate_limited");
	}

	@Test
	void batchOverTheKeysBurstGets429SayingSo() {
		String batch = "{\"events\": [" + TestApi.event("u-1") + "," + TestApi.event("u-1") + "," + TestApi.event("u-1")
				+ "]}";
		TestApi.Response response = api().post("/v1/events:batch", TestApi.ACME_LIMITED_KEY, batch);
		assertThat(response.status()).isEqualTo(429);
		assertThat(Integer.parseInt(response.header("Retry-After"))).isPositive();
		assertThat(response.json().get("code").stringValue()).isEqualTo("rate_limited");
		assertThat(response.json().get("detail").stringValue()).contains("smaller batches");
	}

	/**
	 * A single POST is answered by {@code SingleEventFilter} when its headers leave no
	 * choice of type, and by Spring MVC's endpoint otherwise: both answer every request
	 * alike, with the same status, problem and headers.
	 */
	@Test
	void aSinglePostIsAnsweredAlikeWithOrWithoutSpringMvc() {
		String idempotencyKey = "alike-" + UUID.randomUUID();
		String tooLarge = "{\"type\": \"order.shipped\", \"data\": {\"pad\": \"" + "x".repeat(70 * 1024) + "\"}}";
		List<String[]> requests = List.of(new String[] { TestApi.ACME_KEY, TestApi.event("u-alike") },
				new String[] { TestApi.ACME_KEY, "{}" }, new String[] { TestApi.ACME_KEY, "{\"type\": " },
				new String[] { TestApi.ACME_KEY, "" }, new String[] { TestApi.ACME_KEY, tooLarge },
				new String[] { TestApi.ACME_READER_KEY, TestApi.event("u-alike") },
				new String[] { "not-a-key", TestApi.event("u-alike") });
		// The first Accepts leave the answer to the filter (the second is the Java
		// client's), the last to Spring MVC's content negotiation.
		for (String[] request : requests) {
			TestApi.Response direct = postAccepting("*/*", request[0], request[1]);
			TestApi.Response client = postAccepting("application/json, application/problem+json", request[0],
					request[1]);
			TestApi.Response mvc = postAccepting("application/json, application/problem+json;q=0.9", request[0],
					request[1]);
			String what = request[1].substring(0, Math.min(40, request[1].length()));
			assertThat(mvc.status()).as(what).isEqualTo(direct.status());
			assertThat(client.status()).as(what).isEqualTo(direct.status());
			assertThat(client.header("Content-Type")).as(what).isEqualTo(direct.header("Content-Type"));
			if (direct.status() >= 400) {
				assertThat(direct.header("Content-Type")).as(what).startsWith("application/problem+json");
				assertThat(mvc.header("Content-Type")).as(what).startsWith("application/problem+json");
				for (String member : List.of("code", "status", "title", "detail", "errors")) {
					assertThat(mvc.json().get(member)).as(what + ": " + member).isEqualTo(direct.json().get(member));
				}
			}
			else {
				assertThat(direct.header("Content-Type")).as(what).isEqualTo("application/json");
				assertThat(mvc.header("Content-Type")).as(what).isEqualTo("application/json");
				assertThat(direct.json().propertyNames()).as(what).containsExactly("eventId", "status");
				assertThat(mvc.json().propertyNames()).as(what).containsExactly("eventId", "status");
			}
		}
		// A duplicate is answered 200 with the first one's event, by either.
		TestApi.Response created = postAccepting("*/*", TestApi.ACME_KEY, TestApi.event("u-alike", idempotencyKey));
		TestApi.Response direct = postAccepting("*/*", TestApi.ACME_KEY, TestApi.event("u-alike", idempotencyKey));
		TestApi.Response mvc = postAccepting("application/json, */*;q=0.1", TestApi.ACME_KEY,
				TestApi.event("u-alike", idempotencyKey));
		assertThat(created.status()).isEqualTo(202);
		assertThat(List.of(direct.status(), mvc.status())).containsOnly(200);
		assertThat(direct.json().get("status").stringValue()).isEqualTo("duplicate");
		assertThat(direct.json()).isEqualTo(mvc.json());
		assertThat(direct.json().get("eventId")).isEqualTo(created.json().get("eventId"));
		// Over the rate limit, both answer 429 with a Retry-After.
		for (String accept : List.of("*/*", "application/json, */*;q=0.1")) {
			List<TestApi.Response> responses = IntStream.range(0, 10)
				.mapToObj((i) -> postAccepting(accept, TestApi.ACME_LIMITED_KEY, TestApi.event("u-1")))
				.toList();
			TestApi.Response limited = responses.stream()
				.filter((response) -> response.status() == 429)
				.findFirst()
				.orElseThrow();
			assertThat(Integer.parseInt(limited.header("Retry-After"))).as(accept).isPositive();
			assertThat(limited.json().get("code").stringValue()).as(accept).isEqualTo("rate_limited");
		}
		// The filter names the endpoint in the request metrics, as Spring MVC does: each
		// path's 202 counts under uri="/v1/events".
		for (String accept : List.of("*/*", "application/json, */*;q=0.1")) {
			double before = acceptedPostsCounted();
			assertThat(postAccepting(accept, TestApi.ACME_KEY, TestApi.event("u-alike")).status()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(acceptedPostsCounted()).as(accept).isEqualTo(before + 1));
		}
	}

	/** The request metrics' count of 202s to {@code POST /v1/events}. */
	private double acceptedPostsCounted() {
		String metrics = management().send(management().request("/actuator/prometheus").GET()).body();
		java.util.regex.Matcher series = java.util.regex.Pattern
			.compile("^http_server_requests_seconds_count\\{([^}]*)\\} (\\S+)$", java.util.regex.Pattern.MULTILINE)
			.matcher(metrics);
		double count = 0;
		while (series.find()) {
			String labels = series.group(1);
			if (labels.contains("method=\"POST\"") && labels.contains("status=\"202\"")
					&& labels.contains("uri=\"/v1/events\"")) {
				count += Double.parseDouble(series.group(2));
			}
		}
		return count;
	}

	private TestApi.Response postAccepting(String accept, String apiKey, String body) {
		return api().send(api().request("/v1/events")
			.header("Authorization", "Bearer " + apiKey)
			.header("Content-Type", "application/json")
			.header("Accept", accept)
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
	}

	@Test
	void exposesTheIngestionFunnelOnPrometheus() {
		accept(TestApi.event("u-1"));
		api().post("/v1/events", TestApi.ACME_KEY, "{}");
		String metrics = management().send(management().request("/actuator/prometheus").GET()).body();
		assertThat(metrics).contains("herald_ingestion_events_total{outcome=\"accepted\",reason=\"none\"")
			.contains("outcome=\"rejected\",reason=\"validation\"")
			.contains("herald_ingestion_publish_seconds_bucket")
			.contains("herald_http_requests_inflight")
			.contains("herald_status_records_total")
			.contains("kafka_consumer_fetch_manager_records_lag");
	}

	@Test
	void healthProbesAreUp() {
		TestApi.Response readiness = management().send(management().request("/actuator/health/readiness").GET());
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.json().get("status").stringValue()).isEqualTo("UP");
		assertThat(management().send(management().request("/actuator/health/liveness").GET()).status()).isEqualTo(200);
	}

	@Test
	void apiPortDoesNotServeTheActuator() {
		for (String path : List.of("/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/env")) {
			TestApi.Response response = api().send(api().request(path).GET());
			assertThat(response.status()).as(path).isEqualTo(404);
			assertThat(response.header("Content-Type")).as(path).startsWith("application/problem+json");
			assertThat(response.json().get("code").stringValue()).as(path).isEqualTo("not_found");
		}
	}

	private String accept(String event) {
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, event);
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		return response.json().get("eventId").stringValue();
	}

	private static ConsumerRecord<String, byte[]> awaitRecord(String eventId) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> findRecord(eventId), Optional::isPresent)
			.orElseThrow();
	}

	private static Optional<ConsumerRecord<String, byte[]>> findRecord(String eventId) {
		return findRecord(EventLog.events(SharedInfra.kafka().bootstrapServers()), eventId);
	}

	private static Optional<ConsumerRecord<String, byte[]>> findRecord(List<ConsumerRecord<String, byte[]>> records,
			String eventId) {
		return records.stream()
			.filter((record) -> eventId.equals(HeaderNames.lastValue(record.headers(), HeaderNames.CE_ID)))
			.findFirst();
	}

	private static List<EventAccepted> recordsWithIdempotencyKey(String key) {
		return EventLog.events(SharedInfra.kafka().bootstrapServers())
			.stream()
			.map((record) -> Topics.EVENTS.codec().decode(record.value()))
			.filter((event) -> key.equals(event.idempotencyKey()))
			.toList();
	}

}
