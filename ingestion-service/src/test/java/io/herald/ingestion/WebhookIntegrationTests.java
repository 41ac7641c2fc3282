package io.herald.ingestion;

import io.herald.events.CallWebhook;
import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.RecordDecodingException;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.infra.SharedInfra;
import io.herald.infra.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks through the public API against a real receiver on 127.0.0.1: registration,
 * signed calls for the subscribed state changes, retries with the same webhook id, dead
 * letters, an endpoint that answers {@code 410}, a slow endpoint beside a fast one,
 * tenant isolation, records on the webhook topics that are no calls, calls that age out
 * while postponed, and endpoints registered and deleted between two changes. State
 * changes are written to {@code herald.status} as the later stages write them.
 */
class WebhookIntegrationTests extends IngestionIntegrationTest {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private final WebhookReceiver receiver = new WebhookReceiver();

	private final List<String> registered = new ArrayList<>();

	@AfterEach
	void removeEndpoints() {
		this.registered.forEach((location) -> api().delete(location, TestApi.ACME_KEY));
		this.receiver.close();
	}

	@Test
	void everySubscribedStateChangeCallsTheEndpointSigned() {
		String path = "/ok/" + UUID.randomUUID();
		register(path, "sent", "delivered", "acknowledged", "read", "expired");
		String eventId = "evt-" + UUID.randomUUID();
		Instant at = Instant.parse("2026-11-22T10:00:00Z");
		report(new StatusReported(1, "acme", eventId, "u-1", Channel.PUSH, "ios:1a2b", DeliveryState.SENT, null, null,
				"apns-1", null, at));
		report(new StatusReported(1, "acme", eventId, "u-1", Channel.INAPP, null, DeliveryState.DELIVERED, null, null,
				null, 7L, at));
		report(StatusReported.of("acme", eventId, "u-1", Channel.EMAIL, DeliveryState.FAILED, at)
			.withReason("bounced"));
		report(new StatusReported(1, "acme", eventId, "u-1", Channel.INAPP, null, DeliveryState.ACKNOWLEDGED, null,
				null, null, 7L, at.plusSeconds(1)));
		report(new StatusReported(1, "acme", eventId, "u-1", Channel.INAPP, null, DeliveryState.READ, null, null, null,
				7L, at.plusSeconds(2)));

		await().atMost(PATIENCE).untilAsserted(() -> assertThat(this.receiver.calls(path)).hasSize(4));
		List<WebhookReceiver.Call> calls = this.receiver.calls(path);
		assertThat(calls).allSatisfy((call) -> assertThat(call.valid()).isTrue());
		List<JsonNode> bodies = calls.stream().map((call) -> TestApi.json(call.body())).toList();
		assertThat(bodies).extracting((body) -> body.get("type").stringValue())
			.containsExactlyInAnyOrder("delivery.sent", "delivery.delivered", "delivery.acknowledged", "delivery.read");
		JsonNode sent = bodies.stream()
			.filter((body) -> body.get("state").stringValue().equals("sent"))
			.findFirst()
			.get();
		assertThat(sent.get("eventId").stringValue()).isEqualTo(eventId);
		assertThat(sent.get("userId").stringValue()).isEqualTo("u-1");
		assertThat(sent.get("channel").stringValue()).isEqualTo("push");
		assertThat(sent.get("device").stringValue()).isEqualTo("ios:1a2b");
		assertThat(sent.get("providerId").stringValue()).isEqualTo("apns-1");
		assertThat(sent.get("at").stringValue()).isEqualTo("2026-11-22T10:00:00Z");
		assertThat(calls).extracting(WebhookReceiver.Call::id)
			.doesNotHaveDuplicates()
			.allSatisfy((id) -> assertThat(id).startsWith("msg_"));
		bodies.forEach((body) -> assertThat(calls).extracting(WebhookReceiver.Call::id)
			.contains(body.get("id").stringValue()));
	}

	@Test
	void aFailingEndpointIsTriedAgainWithTheSameWebhookIdUntilItAnswers() {
		String path = "/flaky/" + UUID.randomUUID();
		register(path, "sent");
		report(StatusReported.of("acme", "evt-" + UUID.randomUUID(), "u-1", Channel.SMS, DeliveryState.SENT,
				Instant.now()));

		await().atMost(PATIENCE).untilAsserted(() -> assertThat(this.receiver.calls(path)).hasSize(3));
		List<WebhookReceiver.Call> calls = this.receiver.calls(path);
		assertThat(calls).extracting(WebhookReceiver.Call::id).containsOnly(calls.get(0).id());
		assertThat(calls).extracting(WebhookReceiver.Call::body).containsOnly(calls.get(0).body());
		assertThat(calls).allSatisfy((call) -> assertThat(call.valid()).isTrue());
	}

	@Test
	void anEndpointThatKeepsFailingEndsDeadLetteredAndOneThatRefusesAtOnce() {
		String failing = "/failing/" + UUID.randomUUID();
		String bad = "/bad/" + UUID.randomUUID();
		register(failing, "sent");
		register(bad, "sent");
		report(StatusReported.of("acme", "evt-" + UUID.randomUUID(), "u-1", Channel.SMS, DeliveryState.SENT,
				Instant.now()));

		await().atMost(PATIENCE).untilAsserted(() -> {
			assertThat(deadLetterReason(failing)).isEqualTo("gave_up_attempts: status_500");
			assertThat(deadLetterReason(bad)).isEqualTo("status_400");
		});
		assertThat(this.receiver.calls(failing)).hasSize(4)
			.extracting(WebhookReceiver.Call::id)
			.containsOnly(this.receiver.calls(failing).get(0).id());
		assertThat(this.receiver.calls(bad)).hasSize(1);
	}

	@Test
	void anEndpointAnsweringGoneIsDisabled() {
		String path = "/gone/" + UUID.randomUUID();
		String location = register(path, "sent", "failed");
		report(StatusReported.of("acme", "evt-" + UUID.randomUUID(), "u-1", Channel.SMS, DeliveryState.SENT,
				Instant.now()));

		await().atMost(PATIENCE).untilAsserted(() -> {
			JsonNode endpoint = api().get(location, TestApi.ACME_KEY).json();
			assertThat(endpoint.get("status").stringValue()).isEqualTo("disabled");
			assertThat(deadLetterReason(path)).isEqualTo("endpoint_gone");
		});
		report(StatusReported.of("acme", "evt-" + UUID.randomUUID(), "u-1", Channel.SMS, DeliveryState.FAILED,
				Instant.now()));
		String marker = "/ok/" + UUID.randomUUID();
		register(marker, "failed");
		report(StatusReported.of("acme", "evt-" + UUID.randomUUID(), "u-1", Channel.SMS, DeliveryState.FAILED,
				Instant.now()));
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(this.receiver.calls(marker)).isNotEmpty());
		assertThat(this.receiver.calls(path)).hasSize(1);
	}

	@Test
	void aSlowEndpointDoesNotDelayAnotherEndpoint() {
		String slow = "/slow/" + UUID.randomUUID();
		String fast = "/ok/" + UUID.randomUUID();
		register(slow, "delivered");
		register(fast, "delivered");
		String eventId = "evt-" + UUID.randomUUID();
		for (int user = 0; user < 4; user++) {
			report(new StatusReported(1, "acme", eventId, "u-" + user, Channel.INAPP, null, DeliveryState.DELIVERED,
					null, null, null, 1L, Instant.now()));
		}

		// The slow endpoint's first call may reach it after the fast one's last: wait for
		// both, the slow one holding its call (it answers none until released).
		await().atMost(PATIENCE).untilAsserted(() -> {
			assertThat(this.receiver.calls(fast)).hasSize(4);
			assertThat(this.receiver.held()).as("the slow endpoint still holds its calls").isPositive();
		});
		this.receiver.release();
		await().atMost(PATIENCE)
			.untilAsserted(() -> assertThat(this.receiver.calls(slow).stream().map(WebhookReceiver.Call::id).distinct())
				.hasSize(4));
	}

	@Test
	void anotherTenantsKeyCannotSeeOrDeleteAnEndpoint() {
		String location = register("/ok/" + UUID.randomUUID(), "sent");
		assertThat(api().get(location, TestApi.GLOBEX_KEY).status()).isEqualTo(404);
		assertThat(api().delete(location, TestApi.GLOBEX_KEY).status()).isEqualTo(404);
		assertThat(api().post(location + "/secret", TestApi.GLOBEX_KEY, "").status()).isEqualTo(404);
		assertThat(api().get("/v1/webhooks", TestApi.GLOBEX_KEY).body()).doesNotContain(location.substring(13));
		assertThat(api().get(location, TestApi.ACME_KEY).status()).isEqualTo(200);
		assertThat(api().get("/v1/webhooks", TestApi.ACME_KEY).body()).contains(location.substring(13));
	}

	@Test
	void aRotatedSecretSignsNextToThePreviousOne() {
		String path = "/ok/" + UUID.randomUUID();
		String location = register(path, "sent");
		TestApi.Response rotated = api().post(location + "/secret", TestApi.ACME_KEY, "");
		assertThat(rotated.status()).isEqualTo(200);
		assertThat(rotated.json().get("previousSecretValidUntil")).isNotNull();
		this.receiver.secret(path, rotated.json().get("secret").stringValue());
		report(StatusReported.of("acme", "evt-" + UUID.randomUUID(), "u-1", Channel.SMS, DeliveryState.SENT,
				Instant.now()));

		await().atMost(PATIENCE).untilAsserted(() -> assertThat(this.receiver.calls(path)).hasSize(1));
		assertThat(this.receiver.calls(path).get(0).valid()).isTrue();
	}

	@Test
	void refusesHostileRegistrations() {
		String valid = "{\"url\": \"https://example.com/hook\", \"states\": [\"sent\"]}";
		assertProblem(api().post("/v1/webhooks", TestApi.ACME_KEY, "{\"url\": "), 400, "malformed_json");
		assertProblem(api().post("/v1/webhooks", TestApi.ACME_KEY, "[]"), 400, "invalid_request");
		assertProblem(
				api().post("/v1/webhooks", TestApi.ACME_KEY,
						"{\"url\": \"https://example.com/" + "x".repeat(9000) + "\", \"states\": [\"sent\"]}"),
				413, "payload_too_large");
		for (String url : List.of("ftp://example.com/hook", "/relative", "javascript:alert(1)",
				"https://user:pw@example.com/hook", "https://example.com/" + "x".repeat(2100), "http:///nohost")) {
			TestApi.Response response = api().post("/v1/webhooks", TestApi.ACME_KEY,
					"{\"url\": \"" + url + "\", \"states\": [\"sent\"]}");
			assertProblem(response, 400, "invalid_request");
			assertThat(response.json().get("errors").get(0).get("field").stringValue()).isEqualTo("url");
		}
		TestApi.Response states = api().post("/v1/webhooks", TestApi.ACME_KEY,
				"{\"url\": \"https://example.com/hook\", \"states\": [\"sent\", \"opened\"]}");
		assertProblem(states, 400, "invalid_request");
		assertThat(states.json().get("errors").get(0).get("field").stringValue()).isEqualTo("states[1]");
		assertProblem(api().post("/v1/webhooks", TestApi.ACME_KEY, "{\"url\": \"https://example.com/hook\"}"), 400,
				"invalid_request");
		assertProblem(api().send(api().request("/v1/webhooks")
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(valid))), 401, "unauthorized");
		assertProblem(api().post("/v1/webhooks", "not-a-key", valid), 401, "unauthorized");
		assertProblem(api().post("/v1/webhooks", TestApi.ACME_READER_KEY, valid), 403, "forbidden");
		assertProblem(api().get("/v1/webhooks/ep_0000000000000000", TestApi.ACME_KEY), 404, "not_found");
		assertProblem(api().get("/v1/webhooks/" + "x".repeat(300), TestApi.ACME_KEY), 404, "not_found");
		assertProblem(api().delete("/v1/webhooks/ep_0000000000000000", TestApi.ACME_KEY), 404, "not_found");
	}

	@Test
	void aTenantHasAtMostItsLimitOfEndpoints() {
		String valid = "{\"url\": \"https://example.com/hook\", \"states\": [\"sent\"]}";
		List<String> globex = new ArrayList<>();
		try {
			TestApi.Response response;
			do {
				response = api().post("/v1/webhooks", TestApi.GLOBEX_KEY, valid);
				if (response.status() == 201) {
					globex.add(response.header("Location"));
				}
			}
			while (response.status() == 201 && globex.size() <= 20);
			assertProblem(response, 409, "too_many_webhooks");
			assertThat(globex).hasSize(20);
		}
		finally {
			globex.forEach((location) -> api().delete(location, TestApi.GLOBEX_KEY));
		}
		assertThat(api().get("/v1/webhooks", TestApi.GLOBEX_KEY).json().get("webhooks")).isEmpty();
	}

	@Test
	void aRecordThatIsNoCallIsDeadLetteredFromEveryTopicAndTheCallsBehindItGoOn() {
		String path = "/ok/" + UUID.randomUUID();
		String endpointId = endpointId(register(path, "expired"));
		String key = PartitionKeys.event("acme", endpointId);
		String marker = UUID.randomUUID().toString();
		byte[] notJson = ("{not json " + marker).getBytes(StandardCharsets.UTF_8);
		byte[] unknownSchema = ("{\"schemaVersion\": 99, \"marker\": \"" + marker + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		CallWebhook hostileId = new CallWebhook(CallWebhook.SCHEMA_VERSION, "acme", endpointId,
				"msg_1\r\nX-Injected: " + marker, "delivery.expired", "{}", Instant.now(), 2);
		CallWebhook afterRetries = call(endpointId, Instant.now(), 2);
		CallWebhook afterMain = call(endpointId, Instant.now(), 1);
		String firstRetry = Topics.retry(Topics.WEBHOOKS.name(), 1);
		String secondRetry = Topics.retry(Topics.WEBHOOKS.name(), 2);
		// Each bad record is ahead of a good call on the same partition (the endpoint's
		// key).
		write(firstRetry, key, notJson);
		write(secondRetry, key, Topics.WEBHOOKS.codec().encode(hostileId));
		write(firstRetry, key, Topics.WEBHOOKS.codec().encode(afterRetries));
		write(secondRetry, key, Topics.WEBHOOKS.codec().encode(afterRetries.nextAttempt()));
		write(Topics.WEBHOOKS.name(), key, unknownSchema);
		write(Topics.WEBHOOKS.name(), key, Topics.WEBHOOKS.codec().encode(afterMain));

		await().atMost(PATIENCE)
			.untilAsserted(() -> assertThat(this.receiver.calls(path)).extracting(WebhookReceiver.Call::id)
				.contains(afterRetries.webhookId(), afterMain.webhookId()));
		await().atMost(PATIENCE).untilAsserted(() -> {
			Map<String, ConsumerRecord<String, byte[]>> deadLetters = new HashMap<>();
			for (ConsumerRecord<String, byte[]> record : TopicContents.readAll(SharedInfra.kafka().bootstrapServers(),
					Topics.deadLetter(Topics.WEBHOOKS.name()))) {
				String value = new String(record.value(), StandardCharsets.UTF_8);
				if (value.contains(marker)) {
					deadLetters.put(HeaderNames.lastValue(record.headers(), HeaderNames.ORIGINAL_TOPIC), record);
				}
			}
			assertThat(deadLetters).containsOnlyKeys(firstRetry, secondRetry, Topics.WEBHOOKS.name());
			assertThat(reason(deadLetters.get(firstRetry))).isEqualTo("malformed_json");
			assertThat(deadLetters.get(firstRetry).value()).isEqualTo(notJson);
			assertThat(deadLetters.get(firstRetry).key()).isEqualTo(key);
			assertThat(reason(deadLetters.get(secondRetry))).isEqualTo("invalid_record");
			assertThat(reason(deadLetters.get(Topics.WEBHOOKS.name()))).isEqualTo("unsupported_schema_version");
		});
		assertThat(this.receiver.calls(path)).allSatisfy((call) -> assertThat(call.id()).doesNotContain(marker));
	}

	@Test
	void callsPostponedPastTheirMaximumAgeAreDeadLetteredWithoutATry() {
		String path = "/slow/" + UUID.randomUUID();
		String endpointId = endpointId(register(path, "expired"));
		// Made 25 hours ago, beyond the maximum age of 24: a try that fails is not tried
		// again, and a call that the unresponsive endpoint leaves untried is not
		// postponed again.
		Instant madeLongAgo = Instant.now().minus(Duration.ofHours(25));
		List<CallWebhook> calls = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			calls.add(call(endpointId, madeLongAgo, 1));
		}
		// In one produce request: the sender gets them in one batch.
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers(),
						ProducerConfig.LINGER_MS_CONFIG, 1000),
				new StringSerializer(), new ByteArraySerializer())) {
			calls.forEach((call) -> producer
				.send(new ProducerRecord<>(Topics.WEBHOOKS.name(), call.key(), Topics.WEBHOOKS.codec().encode(call))));
			producer.flush();
		}

		await().atMost(PATIENCE)
			.untilAsserted(
					() -> assertThat(deadLetterReasons(calls)).as("every call is given up").hasSize(calls.size()));
		Map<String, String> reasons = deadLetterReasons(calls);
		// Two calls at once per endpoint in the tests: two tries time out, the other
		// three are not made.
		assertThat(reasons.values()).containsExactlyInAnyOrder("gave_up_max_age: timeout", "gave_up_max_age: timeout",
				"gave_up_max_age: postponed", "gave_up_max_age: postponed", "gave_up_max_age: postponed");
		assertThat(this.receiver.calls(path)).hasSize(2);
	}

	@Test
	void aNewEndpointIsCalledForTheNextChangeAndADeletedOneNoMore() {
		String first = "/ok/" + UUID.randomUUID();
		String firstLocation = register(first, "queued");
		String before = "evt-" + UUID.randomUUID();
		report(StatusReported.of("acme", before, "u-1", Channel.EMAIL, DeliveryState.QUEUED, Instant.now()));
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(eventIds(first)).containsExactly(before));

		// The dispatcher read acme's endpoints a moment ago: one registered now is called
		// all the same.
		String second = "/ok/" + UUID.randomUUID();
		register(second, "queued");
		String next = "evt-" + UUID.randomUUID();
		report(StatusReported.of("acme", next, "u-1", Channel.EMAIL, DeliveryState.QUEUED, Instant.now()));
		await().atMost(PATIENCE).untilAsserted(() -> {
			assertThat(eventIds(second)).containsExactly(next);
			assertThat(eventIds(first)).containsExactly(before, next);
		});

		assertThat(api().delete(firstLocation, TestApi.ACME_KEY).status()).isEqualTo(204);
		this.registered.remove(firstLocation);
		String last = "evt-" + UUID.randomUUID();
		report(StatusReported.of("acme", last, "u-1", Channel.EMAIL, DeliveryState.QUEUED, Instant.now()));
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(eventIds(second)).containsExactly(next, last));
		assertThat(eventIds(first)).as("deleted before the change").containsExactly(before, next);
	}

	/** Registers an endpoint of the receiver for acme; returns its location. */
	private String register(String path, String... states) {
		String body = "{\"url\": \"" + this.receiver.url(path) + "\", \"states\": [\"" + String.join("\", \"", states)
				+ "\"], \"description\": \"test receiver\"}";
		TestApi.Response response = api().post("/v1/webhooks", TestApi.ACME_KEY, body);
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		assertThat(response.json().get("secret").stringValue()).startsWith("whsec_");
		this.receiver.secret(path, response.json().get("secret").stringValue());
		String location = response.header("Location");
		this.registered.add(location);
		assertThat(api().get(location, TestApi.ACME_KEY).body()).doesNotContain("whsec_");
		return location;
	}

	private static void report(StatusReported status) {
		stage().send(new ProducerRecord<>(Topics.STATUS.name(), PartitionKeys.event(status.tenant(), status.eventId()),
				Topics.STATUS.codec().encode(status)));
		stage().flush();
	}

	/**
	 * The reason of the dead letter of the first call to a path, or {@code null} while
	 * there is none.
	 */
	private String deadLetterReason(String path) {
		List<WebhookReceiver.Call> calls = this.receiver.calls(path);
		if (calls.isEmpty()) {
			return null;
		}
		String id = calls.get(0).id();
		for (ConsumerRecord<String, byte[]> record : TopicContents.readAll(SharedInfra.kafka().bootstrapServers(),
				Topics.deadLetter(Topics.WEBHOOKS.name()))) {
			if (id.equals(webhookId(record))) {
				return reason(record);
			}
		}
		return null;
	}

	/** The id of the endpoint at a location, {@code /v1/webhooks/<id>}. */
	private static String endpointId(String location) {
		return location.substring(location.lastIndexOf('/') + 1);
	}

	/** A call of an endpoint as the dispatcher makes it, with an id of its own. */
	private static CallWebhook call(String endpointId, Instant createdAt, int attempt) {
		String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
		return new CallWebhook(CallWebhook.SCHEMA_VERSION, "acme", endpointId, id, "delivery.expired",
				"{\"id\": \"" + id + "\", \"type\": \"delivery.expired\"}", createdAt, attempt);
	}

	private static void write(String topic, String key, byte[] value) {
		stage().send(new ProducerRecord<>(topic, key, value));
		stage().flush();
	}

	/** The events of the calls a path received, in order of arrival. */
	private List<String> eventIds(String path) {
		return this.receiver.calls(path)
			.stream()
			.map((call) -> TestApi.json(call.body()).get("eventId").stringValue())
			.toList();
	}

	/**
	 * The dead-letter reasons of those of the calls that are dead-lettered, by webhook
	 * id.
	 */
	private static Map<String, String> deadLetterReasons(List<CallWebhook> calls) {
		Set<String> ids = calls.stream().map(CallWebhook::webhookId).collect(Collectors.toSet());
		Map<String, String> reasons = new HashMap<>();
		for (ConsumerRecord<String, byte[]> record : TopicContents.readAll(SharedInfra.kafka().bootstrapServers(),
				Topics.deadLetter(Topics.WEBHOOKS.name()))) {
			String id = webhookId(record);
			if (ids.contains(id)) {
				reasons.put(id, reason(record));
			}
		}
		return reasons;
	}

	/** The webhook id of a dead letter, or {@code null} for one that is no call. */
	private static String webhookId(ConsumerRecord<String, byte[]> record) {
		try {
			return Topics.WEBHOOKS.codec().decode(record.value()).webhookId();
		}
		catch (RecordDecodingException ex) {
			return null;
		}
	}

	private static String reason(ConsumerRecord<String, byte[]> record) {
		return HeaderNames.lastValue(record.headers(), HeaderNames.DLT_REASON);
	}

	private static void assertProblem(TestApi.Response response, int status, String code) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.json().get("code").stringValue()).isEqualTo(code);
	}

}
