package io.herald.ingestion;

import io.herald.infra.LogLines;
import io.herald.infra.RawHttp;
import io.herald.infra.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Malformed, oversized, unauthorized and hostile requests get a clear answer and harm
 * nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsIntegrationTests extends IngestionIntegrationTest {

	/** Spellings of {@code /v1/events} that are not canonical. */
	private static final List<String> EVENTS_PATH_TRICKS = List.of("/v1;x=y/events", "/%761/events", "/v1/events;x=y",
			"/v1/%65vents", "//v1/events", "/v1//events", "/./v1/events", "/v1/./events", "/x/../v1/events",
			"/v1/x/../events", "/v1%2Fevents", "/v1%5Cevents", "/v1/events%3Bx", "/v1/%2E/events");

	/** Targets Tomcat itself refuses with a bare {@code 400} before any filter runs. */
	private static final List<String> TARGETS_THE_CONTAINER_REFUSES = List.of("/v1/events%00", "/v1/events%FF");

	@Test
	void pathTricksNeverReachTheController(CapturedOutput output) {
		String marker = "u-trick-" + UUID.randomUUID();
		byte[] event = TestApi.event(marker).getBytes(StandardCharsets.UTF_8);
		for (String target : EVENTS_PATH_TRICKS) {
			for (boolean withKey : List.of(false, true)) {
				Map<String, String> headers = new LinkedHashMap<>();
				headers.put("Content-Type", "application/json");
				if (withKey) {
					headers.put("Authorization", "Bearer " + TestApi.ACME_KEY);
				}
				RawHttp.Response response = RawHttp.send(this.port, "POST", target, headers, event);
				assertThat(response.status()).as(target + " key=" + withKey).isEqualTo(400);
				assertThat(response.header("Content-Type")).as(target).startsWith("application/problem+json");
				assertThat(response.body()).as(target).contains("\"code\":\"invalid_request_target\"");
			}
		}
		for (String target : TARGETS_THE_CONTAINER_REFUSES) {
			RawHttp.Response response = RawHttp.send(this.port, "POST", target,
					Map.of("Content-Type", "application/json"), event);
			assertThat(response.status()).as(target).isEqualTo(400);
			assertThat(response.header("Content-Type")).as(target).startsWith("application/problem+json");
			assertThat(response.body()).as(target).contains("\"code\":\"invalid_request_target\"");
		}
		String sentinel = "u-sentinel-" + UUID.randomUUID();
		assertThat(api().post("/v1/events", TestApi.ACME_KEY, TestApi.event(sentinel)).status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(30)).until(() -> eventsMention(sentinel));
		assertThat(eventsMention(marker)).isFalse();
		assertThat(LogLines.errors(output.getAll())).isEmpty();
	}

	@Test
	void pathTricksOnTheStatusViewAre400(CapturedOutput output) {
		for (String target : List.of("/v1;x=y/events/e-1", "/%761/events/e-1", "//v1/events/e-1", "/v1/events/e-1;x=y",
				"/v1/events/%2E%2E")) {
			RawHttp.Response response = RawHttp.send(this.port, "GET", target, Map.of());
			assertThat(response.status()).as(target).isEqualTo(400);
			assertThat(response.body()).as(target).contains("invalid_request_target");
		}
		assertThat(LogLines.errors(output.getAll())).isEmpty();
	}

	@Test
	void canonicalPathWithoutKeyIs401EvenWithOddCase() {
		for (String target : List.of("/v1/events", "/V1/events", "/v1/events/", "/v1", "/", "/anything")) {
			RawHttp.Response response = RawHttp.send(this.port, "POST", target,
					Map.of("Content-Type", "application/json"), TestApi.event("u-1").getBytes(StandardCharsets.UTF_8));
			assertThat(response.status()).as(target).isEqualTo(401);
			assertThat(response.body()).as(target).contains("\"code\":\"unauthorized\"");
		}
	}

	@Test
	void oddRequestsGetAProblemDetailNeverA500(CapturedOutput output) {
		Map<String, String> key = Map.of("Authorization", "Bearer " + TestApi.ACME_KEY);
		byte[] event = TestApi.event("u-1").getBytes(StandardCharsets.UTF_8);
		expectProblem(RawHttp.send(this.port, "POST", "/v1/events", key, event), 415, "unsupported_media_type");
		expectProblem(
				RawHttp.send(this.port, "POST", "/v1/events", RawHttp.with(key, "Content-Type", "text/plain"), event),
				415, "unsupported_media_type");
		expectProblem(RawHttp.send(this.port, "POST", "/v1/events",
				RawHttp.with(key, "Content-Type", "application/json"), new byte[] { (byte) 0xC3, 0x28, (byte) 0xFF }),
				400, "malformed_json");
		RawHttp.Response put = RawHttp.send(this.port, "PUT", "/v1/events",
				RawHttp.with(key, "Content-Type", "application/json"), event);
		expectProblem(put, 405, "method_not_allowed");
		assertThat(put.header("Allow")).contains("POST");
		for (String method : List.of("DELETE", "PATCH", "FOO")) {
			expectProblem(RawHttp.send(this.port, method, "/v1/events", key), 405, "method_not_allowed");
		}
		assertThat(RawHttp.send(this.port, "TRACE", "/v1/events", key).status()).isEqualTo(405);
		assertThat(RawHttp.send(this.port, "OPTIONS", "/v1/events", key).header("Allow")).contains("POST");
		expectProblem(RawHttp.send(this.port, "GET", "/v1/nothing-here", key), 404, "not_found");
		expectProblem(RawHttp.send(this.port, "GET", "/v1/events/e-1",
				RawHttp.with(key, "Content-Type", "application/json"), event), 404, "not_found");
		expectProblem(RawHttp.send(this.port, "POST", "/v1/events",
				RawHttp.with(RawHttp.with(key, "Content-Type", "application/json"), "Accept", "text/csv"), event), 406,
				"not_acceptable");
		assertThat(RawHttp.send(this.port, "GET", "/v1/events/" + "x".repeat(20_000), key).status()).isBetween(400,
				499);
		assertThat(RawHttp.send(this.port, "GET", "/v1/events/e-1", RawHttp.with(key, "X-Big", "y".repeat(20_000)))
			.status()).isBetween(400, 499);
		assertThat(LogLines.errors(output.getAll())).isEmpty();
	}

	private static void expectProblem(RawHttp.Response response, int status, String code) {
		assertThat(response.isProblem(status, code)).as("%s %s: %s", status, code, response).isTrue();
	}

	@Test
	void operationsEndpointsAreOnTheManagementPortAndNeedNoKey() {
		assertThat(RawHttp.send(this.managementPort, "GET", "/actuator/health", Map.of()).status()).isEqualTo(200);
		assertThat(RawHttp.send(this.port, "GET", "/actuator/health", Map.of()).status()).isEqualTo(404);
	}

	private static boolean eventsMention(String text) {
		return EventLog.events(SharedInfra.kafka().bootstrapServers())
			.stream()
			.anyMatch((record) -> new String(record.value(), StandardCharsets.UTF_8).contains(text));
	}

	@Test
	void missingKeyIs401WithAChallenge() {
		TestApi.Response response = api().send(api().request("/v1/events")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(TestApi.event("u-1"))));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(response.json().get("code").stringValue()).isEqualTo("unauthorized");
	}

	@Test
	void unknownKeyIs401() {
		assertThat(api().post("/v1/events", "not-a-key", TestApi.event("u-1")).status()).isEqualTo(401);
		assertThat(api().get("/v1/events/x", "").status()).isEqualTo(401);
	}

	@Test
	void keyInXApiKeyHeaderIsAccepted() {
		TestApi.Response response = api().send(api().request("/v1/events")
			.header("X-Api-Key", TestApi.ACME_KEY)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(TestApi.event("u-1"))));
		assertThat(response.status()).isEqualTo(202);
	}

	@Test
	void readOnlyKeyMayNotPublish() {
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_READER_KEY, TestApi.event("u-1"));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().get("code").stringValue()).isEqualTo("forbidden");
	}

	@Test
	void invalidEventIs400NamingEachField() {
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY,
				"{\"type\": \"BAD\", \"recipients\": {\"users\": []}, \"priority\": \"urgent\"}");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("type").stringValue()).isEqualTo("urn:herald:problem:invalid_event");
		assertThat(response.json().get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("type",
				"recipients.users", "priority", "content");
	}

	@Test
	void malformedJsonIs400() {
		for (String body : List.of("{\"type\": ", "nope", "{\"a\":1}}", "")) {
			TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.json().get("code").stringValue()).as(body).isIn("malformed_json", "invalid_event");
		}
	}

	@Test
	void deeplyNestedJsonIsRejectedNotAStackOverflow() {
		String deep = "{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"t\",\"data\":{\"x\":"
				+ "[".repeat(5_000) + "]".repeat(5_000) + "}}";
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, deep);
		assertThat(response.status()).isEqualTo(400);
	}

	@Test
	void documentDeeperThanTheParserAllowsIs400NamingTheLimit() {
		String deep = "{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"t\",\"data\":"
				+ "{\"x\":".repeat(40) + "1" + "}".repeat(40) + "}";
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, deep);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("code").stringValue()).isEqualTo("malformed_json");
		assertThat(response.json().get("detail").stringValue()).contains("32");
	}

	@Test
	void dataDeeperThanItsLimitIs400NamingDataAndTheLimit() {
		String deep = "{\"type\":\"a\",\"recipients\":{\"all\":true},\"content\":{\"title\":\"t\",\"body\":\"b\"},"
				+ "\"data\":" + "{\"x\":".repeat(20) + "1" + "}".repeat(20) + "}";
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, deep);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("code").stringValue()).isEqualTo("invalid_event");
		assertThat(response.json().get("errors").get(0).get("field").stringValue()).isEqualTo("data");
		assertThat(response.json().get("errors").get(0).get("message").stringValue()).contains("16");
	}

	@Test
	void duplicateKeysAre400NamingTheKey() {
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY,
				"{\"type\":\"a\",\"type\":\"b\",\"recipients\":{\"all\":true},\"content\":{\"title\":\"t\",\"body\":\"b\"}}");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("code").stringValue()).isEqualTo("malformed_json");
		assertThat(response.json().get("detail").stringValue()).contains("type");
	}

	@Test
	void hugeNumbersAndLongNumbersAre400() {
		String event = "{\"type\":\"a\",\"recipients\":{\"all\":true},\"content\":{\"title\":\"t\",\"body\":\"b\"},"
				+ "\"data\":{\"n\":%s}}";
		TestApi.Response huge = api().post("/v1/events", TestApi.ACME_KEY, event.formatted("1e999999"));
		assertThat(huge.status()).isEqualTo(400);
		assertThat(huge.json().get("errors").get(0).get("field").stringValue()).isEqualTo("data.n");
		TestApi.Response longNumber = api().post("/v1/events", TestApi.ACME_KEY, event.formatted("9".repeat(5_000)));
		assertThat(longNumber.status()).isEqualTo(400);
		assertThat(longNumber.json().get("code").stringValue()).isEqualTo("malformed_json");
	}

	@Test
	void batchesOfWrongShapeAre400() {
		String event = TestApi.event("u-1");
		for (String body : List.of("{\"events\": []}", "{}", "[]", "{\"events\": {}}",
				"{\"events\": [" + (event + ",").repeat(500) + event + "]}")) {
			TestApi.Response response = api().post("/v1/events:batch", TestApi.ACME_KEY, body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.json().get("code").stringValue()).as(body).isEqualTo("invalid_batch");
		}
	}

	@Test
	void batchEntryThatIsNotAnObjectIsRejectedAlone() {
		TestApi.Response response = api().post("/v1/events:batch", TestApi.ACME_KEY,
				"{\"events\": [7, " + TestApi.event("u-1") + "]}");
		assertThat(response.status()).isEqualTo(207);
		assertThat(response.json().get("results").get(0).get("problem").get("status").intValue()).isEqualTo(400);
		assertThat(response.json().get("results").get(1).get("status").stringValue()).isEqualTo("accepted");
	}

	@Test
	void batchEntryOverTheEventLimitIsRejectedAsTooLargeNotUnavailable() {
		String big = "{\"type\":\"a\",\"recipients\":{\"users\":[" + "\"user-0123456789\",".repeat(5_000)
				+ "\"u\"]},\"content\":{\"title\":\"t\",\"body\":\"b\"}}";
		TestApi.Response response = api().post("/v1/events:batch", TestApi.ACME_KEY,
				"{\"events\": [" + big + ", " + TestApi.event("u-1") + "]}");
		assertThat(response.status()).isEqualTo(207);
		JsonNode rejected = response.json().get("results").get(0);
		assertThat(rejected.get("status").stringValue()).isEqualTo("rejected");
		assertThat(rejected.get("problem").get("status").intValue()).isEqualTo(413);
		assertThat(rejected.get("problem").get("code").stringValue()).isEqualTo("payload_too_large");
		assertThat(rejected.get("problem").get("detail").stringValue()).contains("65536");
		assertThat(rejected.get("problem").get("errors").get(0).get("field").stringValue()).isEqualTo("events[0]");
		assertThat(response.json().get("results").get(1).get("status").stringValue()).isEqualTo("accepted");
	}

	@Test
	void wrongContentTypeIs415() {
		TestApi.Response response = api().send(api().request("/v1/events")
			.header("Authorization", "Bearer " + TestApi.ACME_KEY)
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(TestApi.event("u-1"))));
		assertThat(response.status()).isEqualTo(415);
		assertThat(response.json().get("code").stringValue()).isEqualTo("unsupported_media_type");
	}

	@Test
	void bodyOver64KiBIs413() {
		String big = "{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"t\",\"data\":{\"k\":\""
				+ "x".repeat(70 * 1024) + "\"}}";
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, big);
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.json().get("code").stringValue()).isEqualTo("payload_too_large");
	}

	@Test
	void chunkedBodyOver64KiBIs413() {
		byte[] big = ("{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"t\",\"data\":{\"k\":\""
				+ "x".repeat(200 * 1024) + "\"}}")
			.getBytes();
		// An input stream publisher sends no Content-Length: the limit must hold while
		// reading.
		TestApi.Response response = api().send(api().request("/v1/events")
			.header("Authorization", "Bearer " + TestApi.ACME_KEY)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
		assertThat(response.status()).isEqualTo(413);
	}

	@Test
	void unknownPathIs404AndWrongMethodIs405() {
		assertThat(api().get("/v1/nothing-here", TestApi.ACME_KEY).status()).isEqualTo(404);
		TestApi.Response response = api().get("/v1/events:batch", TestApi.ACME_KEY);
		assertThat(response.status()).isEqualTo(405);
		assertThat(response.json().get("code").stringValue()).isEqualTo("method_not_allowed");
	}

	@Test
	void hostileEventIdDoesNotReachRedisKeysOfOthers() {
		for (String id : List.of("*", "x:*", "%7B%7D", "a".repeat(500))) {
			assertThat(api().get("/v1/events/" + id, TestApi.ACME_KEY).status()).as(id).isEqualTo(404);
		}
	}

	@Test
	void serviceStillAcceptsEventsAfterHostileInput() {
		deeplyNestedJsonIsRejectedNotAStackOverflow();
		bodyOver64KiBIs413();
		assertThat(api().post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1")).status()).isEqualTo(202);
	}

}
