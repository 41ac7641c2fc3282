package io.herald.routing.user;

import io.herald.events.JsonCodec;
import io.herald.routing.RoutingApiIntegrationTest;
import io.herald.routing.RoutingTestSupport;
import io.herald.routing.RoutingTestSupport.Api;
import io.herald.routing.RoutingTestSupport.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The user API end to end, over HTTP, against a real broker and the real routing
 * topology. The context has an application id of its own, so it is closed after the class
 * rather than cached.
 */
class UserApiIntegrationTests extends RoutingApiIntegrationTest {

	private static final String APNS_TOKEN = DeviceValidatorTests.APNS_TOKEN;

	private static final String FCM_TOKEN = DeviceValidatorTests.FCM_TOKEN;

	private static final String WEB_TOKEN = DeviceValidatorTests.WEB_TOKEN;

	@LocalManagementPort
	int managementPort;

	@Test
	void isReadyOnlyOnceTheRoutingStoresCanAnswerAndAliveWhileKafkaStreamsRuns() throws Exception {
		java.net.http.HttpResponse<String> readiness = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(
						java.net.URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/readiness"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"kafkaStreams\":{\"status\":\"UP\"}");
		java.net.http.HttpResponse<String> liveness = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(
						java.net.URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/liveness"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(liveness.statusCode()).isEqualTo(200);
		assertThat(liveness.body()).contains("\"kafkaStreamsLiveness\":{\"status\":\"UP\"}");
	}

	@Test
	void profileIsStoredAndReadBack() {
		String user = newUser();
		Response put = this.acme.put("/v1/users/" + user,
				"""
						{"email": "ada@example.com", "phone": "+4915112345678", "locale": "de-DE", "timezone": "Europe/Berlin"}""");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		JsonNode expected = json(
				"""
						{"email": "ada@example.com", "phone": "+4915112345678", "locale": "de-DE", "timezone": "Europe/Berlin"}""");
		assertThat(put.json()).isEqualTo(expected);
		Response get = this.acme.get("/v1/users/" + user);
		assertThat(get.status()).isEqualTo(200);
		assertThat(get.json()).isEqualTo(expected);
	}

	@Test
	void profileIsReplacedNotMergedAndKeptInCanonicalForm() {
		String user = newUser();
		this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\", \"phone\": \"+4915112345678\"}");
		Response put = this.acme.put("/v1/users/" + user, "{\"locale\": \"en-us\", \"unknown\": [1, 2]}");
		assertThat(put.status()).isEqualTo(200);
		assertThat(this.acme.get("/v1/users/" + user).json()).isEqualTo(json("{\"locale\": \"en-US\"}"));
	}

	@Test
	void patchMergesIntoTheProfileAndNullRemovesAField() {
		String user = newUser();
		Response created = patch(user, "{\"email\": \"ada@example.com\", \"locale\": \"de-DE\"}", null);
		assertThat(created.status()).as(created.toString()).isEqualTo(200);
		Response patched = patch(user, "{\"phone\": \"+4915112345678\", \"email\": null, \"nickname\": \"ada\"}", null);
		assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
		JsonNode expected = json("{\"phone\": \"+4915112345678\", \"locale\": \"de-DE\"}");
		assertThat(patched.json()).isEqualTo(expected);
		assertThat(patched.header("ETag")).isEqualTo(this.acme.get("/v1/users/" + user).header("ETag"));
		Response asJson = this.acme.send(this.acme.request("/v1/users/" + user)
			.header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"timezone\": \"Europe/Berlin\"}")));
		assertThat(asJson.status()).isEqualTo(200);
		assertThat(this.acme.get("/v1/users/" + user).json())
			.isEqualTo(json("{\"phone\": \"+4915112345678\", \"locale\": \"de-DE\", \"timezone\": \"Europe/Berlin\"}"));
	}

	@Test
	void concurrentPatchesOfDifferentFieldsAllHold() throws Exception {
		String user = newUser();
		this.acme.put("/v1/users/" + user, "{}");
		List<String> bodies = List.of("{\"email\": \"ada@example.com\"}", "{\"phone\": \"+4915112345678\"}",
				"{\"locale\": \"de-DE\"}", "{\"timezone\": \"Europe/Berlin\"}");
		try (ExecutorService writers = Executors.newFixedThreadPool(bodies.size())) {
			List<Future<Response>> answers = new ArrayList<>();
			for (String body : bodies) {
				answers.add(writers.submit(() -> patch(user, body, null)));
			}
			for (Future<Response> answer : answers) {
				assertThat(answer.get().status()).isIn(200, 202);
			}
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.acme.get("/v1/users/" + user).json()).isEqualTo(
					json("""
							{"email": "ada@example.com", "phone": "+4915112345678", "locale": "de-DE", "timezone": "Europe/Berlin"}""")));
	}

	@Test
	void profileReadsCarryAnETagAndIfNoneMatchAnswersNotModified() {
		String user = newUser();
		Response put = this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\"}");
		String tag = put.header("ETag");
		assertThat(tag).matches("\"[A-Za-z0-9_-]{16}\"");
		Response get = this.acme.get("/v1/users/" + user);
		assertThat(get.header("ETag")).isEqualTo(tag);
		Response notModified = this.acme.send(this.acme.request("/v1/users/" + user).header("If-None-Match", tag));
		assertThat(notModified.status()).isEqualTo(304);
		this.acme.put("/v1/users/" + user, "{\"email\": \"grace@example.com\"}");
		Response modified = this.acme.send(this.acme.request("/v1/users/" + user).header("If-None-Match", tag));
		assertThat(modified.status()).isEqualTo(200);
		assertThat(modified.header("ETag")).isNotEqualTo(tag);
	}

	@Test
	void ifMatchLetsAWriteReplaceOnlyTheProfileItRead() {
		String user = newUser();
		String read = this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\"}").header("ETag");
		Response first = send(put(user, "{\"email\": \"grace@example.com\"}").header("If-Match", read));
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		String current = first.header("ETag");

		Response stale = send(put(user, "{\"email\": \"eve@example.com\"}").header("If-Match", read));
		assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
		assertThat(stale.json().get("code").stringValue()).isEqualTo("precondition_failed");
		assertThat(stale.header("ETag")).isEqualTo(current);
		Response stalePatch = patch(user, "{\"phone\": \"+4915112345678\"}", read);
		assertThat(stalePatch.status()).isEqualTo(412);
		Response weak = send(put(user, "{}").header("If-Match", "W/" + current));
		assertThat(weak.status()).as("If-Match compares strongly").isEqualTo(412);
		assertThat(this.acme.get("/v1/users/" + user).json()).isEqualTo(json("{\"email\": \"grace@example.com\"}"));

		Response listed = patch(user, "{\"phone\": \"+4915112345678\"}", "\"aaaaaaaaaaaaaaaa\", " + current);
		assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
		assertThat(send(put(user, "{}").header("If-Match", "*")).status()).isEqualTo(200);
	}

	@Test
	void ifMatchNeverCreatesAUserAndHostileTagsChangeNothing() {
		String user = newUser();
		Response any = send(put(user, "{\"email\": \"ada@example.com\"}").header("If-Match", "*"));
		assertThat(any.status()).as(any.toString()).isEqualTo(412);
		assertThat(patch(user, "{}", "*").status()).isEqualTo(412);
		assertThat(this.acme.get("/v1/users/" + user).status()).isEqualTo(404);

		this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\"}");
		String tooMany = String.join(", ", Collections.nCopies(17, "\"aaaaaaaaaaaaaaaa\""));
		Response many = send(put(user, "{}").header("If-Match", tooMany));
		assertThat(many.status()).isEqualTo(400);
		assertThat(many.json().get("code").stringValue()).isEqualTo("invalid_request");
		for (String hostile : List.of("garbage", "\"" + "x".repeat(4000) + "\"", "\"unterminated", ",,,", "W/")) {
			Response response = send(put(user, "{}").header("If-Match", hostile));
			assertThat(response.status()).as(hostile).isIn(400, 412);
		}
		assertThat(this.acme.get("/v1/users/" + user).json()).isEqualTo(json("{\"email\": \"ada@example.com\"}"));
	}

	@Test
	void ofConcurrentWritesThatReadTheSameProfileExactlyOneSucceeds() throws Exception {
		String user = newUser();
		String read = this.acme.put("/v1/users/" + user, "{}").header("ETag");
		int writers = 6;
		List<Integer> statuses = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
			List<Future<Response>> answers = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				String body = "{\"email\": \"writer" + i + "@example.com\"}";
				answers.add(pool.submit(() -> send(put(user, body).header("If-Match", read))));
			}
			for (Future<Response> answer : answers) {
				statuses.add(answer.get().status());
			}
		}
		assertThat(statuses).containsOnly(200, 412);
		assertThat(statuses).filteredOn((status) -> status == 200).hasSize(1);
	}

	@Test
	void aPatchWithABadBodyOrTypeIsRefusedAndWritesNothing() {
		String user = newUser();
		assertInvalid(patch(user, "{\"phone\": \"0151\", \"email\": null}", null), "phone");
		assertInvalid(patch(user, "[{\"op\": \"remove\", \"path\": \"/email\"}]", null), "");
		Response malformed = patch(user, "{\"email\": ", null);
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.json().get("code").stringValue()).isEqualTo("malformed_json");
		Response jsonPatch = this.acme.send(this.acme.request("/v1/users/" + user)
			.header("Content-Type", "application/json-patch+json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString("[]")));
		assertThat(jsonPatch.status()).isEqualTo(415);
		Api reader = api(RoutingTestSupport.ACME_READER_KEY);
		Response readOnly = reader.send(reader.request("/v1/users/" + user)
			.header("Content-Type", UserController.MERGE_PATCH_JSON)
			.method("PATCH", HttpRequest.BodyPublishers.ofString("{}")));
		assertThat(readOnly.status()).isEqualTo(403);
		assertThat(this.acme.get("/v1/users/" + user).status()).as("nothing was written").isEqualTo(404);
	}

	@Test
	void unknownUserIs404ForEveryRead() {
		String user = newUser();
		for (String path : List.of("/v1/users/" + user, "/v1/users/" + user + "/preferences",
				"/v1/users/" + user + "/devices", "/v1/users/" + user + "/topics",
				"/v1/topics/news/subscribers/" + user)) {
			Response response = this.acme.get(path);
			assertThat(response.status()).as(path).isEqualTo(404);
			assertThat(response.header("Content-Type")).startsWith("application/problem+json");
			assertThat(response.json().get("code").stringValue()).isEqualTo("not_found");
		}
		assertThat(this.acme.delete("/v1/users/" + user + "/devices/" + APNS_TOKEN).status()).isEqualTo(404);
		assertThat(this.acme.delete("/v1/topics/news/subscribers/" + user).status()).isEqualTo(404);
	}

	@Test
	void preferencesAreStoredAndReadBack() {
		String user = newUser();
		String preferences = """
				{"channels": {"email": true, "sms": false},
				 "categories": {"marketing.*": {"enabled": false}, "order.*": {"channels": ["push", "inapp"]}},
				 "quietHours": {"start": "22:00", "end": "07:00"}}""";
		Response put = this.acme.put("/v1/users/" + user + "/preferences", preferences);
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		JsonNode expected = json("""
				{"channels": {"email": true, "sms": false},
				 "categories": {"marketing.*": {"enabled": false}, "order.*": {"channels": ["inapp", "push"]}},
				 "quietHours": {"start": "22:00", "end": "07:00"}}""");
		assertThat(put.json()).isEqualTo(expected);
		assertThat(this.acme.get("/v1/users/" + user + "/preferences").json()).isEqualTo(expected);
		assertThat(this.acme.put("/v1/users/" + user + "/preferences", "{}").json())
			.isEqualTo(json("{\"channels\": {}, \"categories\": {}}"));
	}

	@Test
	void aUserWhoNeverSetPreferencesHasTheDefaults() {
		String user = newUser();
		this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\"}");
		Response get = this.acme.get("/v1/users/" + user + "/preferences");
		assertThat(get.status()).isEqualTo(200);
		assertThat(get.json()).isEqualTo(json("{\"channels\": {}, \"categories\": {}}"));
	}

	@Test
	void devicesAreAddedListedAndRemoved() {
		String user = newUser();
		Response ios = this.acme.post("/v1/users/" + user + "/devices",
				"{\"platform\": \"ios\", \"token\": \"" + APNS_TOKEN + "\", \"appId\": \"com.example.app\"}");
		assertThat(ios.status()).as(ios.toString()).isEqualTo(201);
		assertThat(ios.header("Location")).isEqualTo("/v1/users/" + user + "/devices/" + APNS_TOKEN);
		assertThat(ios.json().get("platform").stringValue()).isEqualTo("ios");
		assertThat(ios.json().get("appId").stringValue()).isEqualTo("com.example.app");
		assertThat(ios.json().get("registeredAt").isString()).isTrue();
		Response web = this.acme.post("/v1/users/" + user + "/devices",
				"{\"platform\": \"web\", \"token\": \"" + WEB_TOKEN + "\"}");
		assertThat(web.status()).isEqualTo(201);
		assertThat(web.header("Location")).isEqualTo("/v1/users/" + user + "/devices/" + encode(WEB_TOKEN));
		this.acme.post("/v1/users/" + user + "/devices",
				"{\"platform\": \"android\", \"token\": \"" + FCM_TOKEN + "\"}");

		Response list = this.acme.get("/v1/users/" + user + "/devices");
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.json().get("devices").findValuesAsString("token")).containsExactly(APNS_TOKEN, WEB_TOKEN,
				FCM_TOKEN);

		assertThat(this.acme.delete("/v1/users/" + user + "/devices/" + APNS_TOKEN).status()).isEqualTo(204);
		assertThat(this.acme.delete(web.header("Location")).status()).isEqualTo(204);
		assertThat(this.acme.delete("/v1/users/" + user + "/devices/" + FCM_TOKEN).status()).isEqualTo(204);
		Response again = this.acme.delete("/v1/users/" + user + "/devices/" + APNS_TOKEN);
		assertThat(again.status()).isEqualTo(404);
		assertThat(again.json().get("code").stringValue()).isEqualTo("not_found");
		assertThat(this.acme.get("/v1/users/" + user + "/devices").json().get("devices").isEmpty()).isTrue();
	}

	@Test
	void registeringAKnownTokenAgainRefreshesIt() {
		String user = newUser();
		String device = "{\"platform\": \"ios\", \"token\": \"" + APNS_TOKEN + "\"}";
		Instant first = registeredAt(this.acme.post("/v1/users/" + user + "/devices", device));
		Response second = this.acme.post("/v1/users/" + user + "/devices", device);
		assertThat(second.status()).isEqualTo(201);
		assertThat(registeredAt(second)).isAfter(first);
		assertThat(this.acme.get("/v1/users/" + user + "/devices").json().get("devices").size()).isEqualTo(1);
	}

	@Test
	void topicSubscriptionIsSetCheckedAndRemoved() {
		String user = newUser();
		Response put = this.acme.put("/v1/topics/news/subscribers/" + user, "");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		assertThat(put.json()).isEqualTo(json("{\"topic\": \"news\", \"userId\": \"" + user + "\"}"));
		assertThat(this.acme.put("/v1/topics/news/subscribers/" + user, "").status()).isEqualTo(200);
		this.acme.put("/v1/topics/deals.weekly/subscribers/" + user, "");

		Response get = this.acme.get("/v1/topics/news/subscribers/" + user);
		assertThat(get.status()).isEqualTo(200);
		assertThat(get.json()).isEqualTo(put.json());
		assertThat(this.acme.get("/v1/topics/other/subscribers/" + user).status()).isEqualTo(404);
		assertThat(this.acme.get("/v1/users/" + user + "/topics").json())
			.isEqualTo(json("{\"topics\": [\"deals.weekly\", \"news\"]}"));

		assertThat(this.acme.delete("/v1/topics/news/subscribers/" + user).status()).isEqualTo(204);
		assertThat(this.acme.get("/v1/topics/news/subscribers/" + user).status()).isEqualTo(404);
		assertThat(this.acme.delete("/v1/topics/news/subscribers/" + user).status()).isEqualTo(404);
		assertThat(this.acme.get("/v1/users/" + user + "/topics").json())
			.isEqualTo(json("{\"topics\": [\"deals.weekly\"]}"));
	}

	@Test
	void erasingAUserRemovesEverything() {
		String user = newUser();
		this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\"}");
		this.acme.put("/v1/users/" + user + "/preferences", "{\"channels\": {\"sms\": false}}");
		this.acme.post("/v1/users/" + user + "/devices", "{\"platform\": \"ios\", \"token\": \"" + APNS_TOKEN + "\"}");
		this.acme.put("/v1/topics/news/subscribers/" + user, "");
		assertThat(this.acme.get("/v1/users/" + user).status()).isEqualTo(200);

		assertThat(this.acme.delete("/v1/users/" + user).status()).isEqualTo(204);

		for (String path : List.of("/v1/users/" + user, "/v1/users/" + user + "/preferences",
				"/v1/users/" + user + "/devices", "/v1/users/" + user + "/topics",
				"/v1/topics/news/subscribers/" + user)) {
			assertThat(this.acme.get(path).status()).as(path).isEqualTo(404);
		}
	}

	@Test
	void erasingAUserRoutingDoesNotKnowSucceeds() {
		assertThat(this.acme.delete("/v1/users/" + newUser()).status()).isEqualTo(204);
	}

	@Test
	void anotherTenantsKeyNeverSeesTheUser() {
		String user = newUser();
		this.acme.put("/v1/users/" + user, "{\"email\": \"ada@acme.example\"}");
		this.acme.put("/v1/topics/news/subscribers/" + user, "");
		Api globex = api(RoutingTestSupport.GLOBEX_KEY);
		assertThat(globex.get("/v1/users/" + user).status()).isEqualTo(404);
		assertThat(globex.get("/v1/topics/news/subscribers/" + user).status()).isEqualTo(404);
		assertThat(globex.delete("/v1/topics/news/subscribers/" + user).status()).isEqualTo(404);

		assertThat(globex.put("/v1/users/" + user, "{\"email\": \"bob@globex.example\"}").status()).isEqualTo(200);
		assertThat(globex.delete("/v1/users/" + user).status()).isEqualTo(204);
		assertThat(this.acme.get("/v1/users/" + user).json().get("email").stringValue()).isEqualTo("ada@acme.example");
		assertThat(this.acme.get("/v1/topics/news/subscribers/" + user).status()).isEqualTo(200);
	}

	@Test
	void requestsWithoutAValidKeyAre401() {
		String user = newUser();
		for (Api api : List.of(api(null), api("not-a-key"))) {
			Response response = api.put("/v1/users/" + user, "{}");
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
			assertThat(response.json().get("code").stringValue()).isEqualTo("unauthorized");
			assertThat(api.get("/v1/users/" + user).status()).isEqualTo(401);
			assertThat(api.delete("/v1/users/" + user).status()).isEqualTo(401);
			assertThat(api.put("/v1/topics/news/subscribers/" + user, "").status()).isEqualTo(401);
		}
	}

	@Test
	void aReadOnlyKeyMayReadButNotWrite() {
		String user = newUser();
		this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\"}");
		Api reader = api(RoutingTestSupport.ACME_READER_KEY);
		assertThat(reader.get("/v1/users/" + user).status()).isEqualTo(200);
		for (Response response : List.of(reader.put("/v1/users/" + user, "{}"), reader.delete("/v1/users/" + user),
				reader.put("/v1/users/" + user + "/preferences", "{}"),
				reader.post("/v1/users/" + user + "/devices",
						"{\"platform\": \"ios\", \"token\": \"" + APNS_TOKEN + "\"}"),
				reader.put("/v1/topics/news/subscribers/" + user, ""))) {
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.json().get("code").stringValue()).isEqualTo("forbidden");
		}
		assertThat(this.acme.get("/v1/users/" + user).status()).isEqualTo(200);
	}

	@Test
	void everyInvalidFieldIsAnswered400NamingIt() {
		String user = newUser();
		assertInvalid(
				this.acme.put("/v1/users/" + user,
						"{\"email\": \"ada\", \"phone\": \"0151\", \"locale\": \"de_DE\", \"timezone\": \"+02:00\"}"),
				"email", "phone", "locale", "timezone");
		assertInvalid(this.acme.put("/v1/users/" + user + "/preferences", """
				{"channels": {"fax": true, "sms": "no"}, "categories": {"Order": {"enabled": false},
				 "order.*": {"channels": ["push", "pigeon"]}}, "quietHours": {"start": "22:00", "end": "22:00"}}"""),
				"channels.fax", "channels.sms", "categories.Order", "categories.order.*.channels[1]", "quietHours.end");
		assertInvalid(this.acme.post("/v1/users/" + user + "/devices",
				"{\"platform\": \"ios\", \"token\": \"xyz\", \"appId\": \"a b\"}"), "token", "appId");
		assertInvalid(this.acme.post("/v1/users/" + user + "/devices", "{\"platform\": \"pager\"}"), "platform",
				"token");
		assertInvalid(this.acme.put("/v1/users/" + user, "[1, 2]"), "");
		assertInvalid(this.acme.put("/v1/users/a%7Cb", "{}"), "userId");
		assertInvalid(this.acme.put("/v1/topics/News/subscribers/a%7Bb%7D", ""), "topic", "userId");
		assertInvalid(this.acme.get("/v1/users/" + "u".repeat(129)), "userId");
		assertThat(this.acme.get("/v1/users/" + user).status()).as("nothing was written").isEqualTo(404);
	}

	@Test
	void malformedJsonIs400AndAWrongContentTypeIs415() {
		String user = newUser();
		for (String body : List.of("{\"email\": ", "nope", "{\"a\": 1}}", "")) {
			Response response = this.acme.put("/v1/users/" + user, body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.json().get("code").stringValue()).as(body).isEqualTo("malformed_json");
		}
		Response response = this.acme.send(this.acme.request("/v1/users/" + user)
			.header("Content-Type", "text/plain")
			.PUT(HttpRequest.BodyPublishers.ofString("{}")));
		assertThat(response.status()).isEqualTo(415);
	}

	@Test
	void hostileRequestsGetAClearAnswerAndChangeNothing() {
		String user = newUser();
		String huge = "{\"email\": \"" + "a".repeat(70 * 1024) + "@example.com\"}";
		Response tooLarge = this.acme.put("/v1/users/" + user, huge);
		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(tooLarge.json().get("code").stringValue()).isEqualTo("payload_too_large");
		byte[] endless = ("{\"categories\": {\"" + "x".repeat(200 * 1024) + "\": {}}}")
			.getBytes(StandardCharsets.UTF_8);
		Response chunked = this.acme.send(this.acme.request("/v1/users/" + user + "/preferences")
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(endless))));
		assertThat(chunked.status()).isEqualTo(413);
		String deep = "{\"channels\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}";
		assertThat(this.acme.put("/v1/users/" + user + "/preferences", deep).status()).isEqualTo(400);
		for (String id : List.of("acme%7Cu-1", "%7Bu-1%7D", "..%2F..%2Fetc", "a%20b", "*")) {
			Response response = this.acme.get("/v1/users/" + id);
			assertThat(response.status()).as(id).isEqualTo(400);
			assertThat(response.json().get("errors").findValuesAsString("field")).as(id).containsExactly("userId");
		}
		// Encoded dots and control characters are refused by the request firewall: they
		// never name a user.
		for (String id : List.of("%2e%2e", "u%0A")) {
			Response refused = this.acme.get("/v1/users/" + id);
			assertThat(refused.status()).as(id).isEqualTo(400);
			assertThat(refused.json().get("code").stringValue()).as(id).isEqualTo("invalid_request_target");
		}
		// Tomcat itself refuses a NUL in a path, before the request reaches the API.
		assertThat(this.acme.get("/v1/users/u%00").status()).isEqualTo(400);
		assertThat(this.acme.get("/v1/users/" + user).status()).isEqualTo(404);
	}

	@Test
	void theInternalEndpointIsNotOnTheApiPort() {
		String user = newUser();
		this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\"}");
		for (String path : List.of("/internal/users/acme/" + user, "/actuator/userstate/acme/" + user)) {
			Response response = this.acme
				.send(this.acme.request(path).header("X-Herald-Internal", RoutingTestSupport.INTERNAL_TOKEN).GET());
			assertThat(response.status()).as(path).isEqualTo(404);
			assertThat(response.json().get("code").stringValue()).as(path).isEqualTo("not_found");
		}
		// Without an API key, a path of the API port is refused before anything looks it
		// up.
		Api anonymous = api(null);
		Response refused = anonymous.send(anonymous.request("/internal/users/acme/" + user)
			.header("X-Herald-Internal", RoutingTestSupport.INTERNAL_TOKEN)
			.GET());
		assertThat(refused.status()).isEqualTo(401);
	}

	@Test
	void theInternalEndpointAnswersOnlyInstancesWithTheSharedToken() {
		String user = newUser();
		this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\"}");
		Api internal = new Api("http://127.0.0.1:" + this.managementPort, null);
		String path = "/actuator/userstate/acme/" + user;
		assertThat(internal.get(path).status()).isEqualTo(401);
		assertThat(internal.send(internal.request(path).header("X-Herald-Internal", "herald-internal").GET()).status())
			.isEqualTo(403);
		assertThat(internal
			.send(internal.request(path).header("Authorization", "Bearer " + RoutingTestSupport.ACME_KEY).GET())
			.status()).isEqualTo(401);
		Response state = internal
			.send(internal.request(path).header("X-Herald-Internal", RoutingTestSupport.INTERNAL_TOKEN).GET());
		assertThat(state.status()).isEqualTo(200);
		assertThat(state.json().get("profile").get("email").stringValue()).isEqualTo("ada@example.com");
		assertThat(internal
			.send(internal.request("/actuator/userstate/globex/" + user)
				.header("X-Herald-Internal", RoutingTestSupport.INTERNAL_TOKEN)
				.GET())
			.status()).isEqualTo(404);
	}

	@Test
	void theGatewaysPreferencesEndpointReadsAndReplacesAUsersPreferencesAsTheApiDoes() {
		String user = newUser();
		Api internal = new Api("http://127.0.0.1:" + this.managementPort, null);
		String path = "/actuator/userpreferences/acme/" + user;
		Response defaults = internalRequest(internal, path, null);
		assertThat(defaults.status()).as("a user routing does not know has the defaults").isEqualTo(200);
		assertThat(defaults.json()).isEqualTo(json("{\"channels\": {}, \"categories\": {}}"));

		String preferences = "{\"channels\": {\"sms\": false}, \"categories\": {\"marketing.*\": {\"enabled\": false}}}";
		Response replaced = internalRequest(internal, path, preferences);
		assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
		assertThat(replaced.json()).isEqualTo(json(preferences));
		assertThat(this.acme.get("/v1/users/" + user + "/preferences").json()).isEqualTo(json(preferences));
		assertThat(internalRequest(internal, path, null).json()).isEqualTo(json(preferences));
		assertThat(internalRequest(internal, "/actuator/userpreferences/globex/" + user, null).json())
			.as("another tenant's user of that id")
			.isEqualTo(defaults.json());
	}

	@Test
	void theGatewaysPreferencesEndpointRefusesWhatTheApiRefusesAndChangesNothing() {
		String user = newUser();
		Api internal = new Api("http://127.0.0.1:" + this.managementPort, null);
		String path = "/actuator/userpreferences/acme/" + user;
		String body = "{\"channels\": {\"fax\": true}, \"quietHours\": {\"start\": \"25:00\"}}";
		Response invalid = internalRequest(internal, path, body);
		Response public_ = this.acme.put("/v1/users/" + user + "/preferences", body);
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.json()).as("the same problem, but for the path it names")
			.isEqualTo(((ObjectNode) public_.json()).without("instance"));
		assertThat(invalid.json().get("errors").findValuesAsString("field")).containsExactly("channels.fax",
				"quietHours.start", "quietHours.end");
		Response malformed = internalRequest(internal, path, "{\"channels\": ");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.json().get("code").stringValue()).isEqualTo("malformed_json");
		assertThat(internalRequest(internal, path, "[1, 2]").json().get("code").stringValue())
			.isEqualTo("invalid_request");
		for (String hostile : List.of("/actuator/userpreferences/ACME/" + user,
				"/actuator/userpreferences/acme/a%7Cb")) {
			assertThat(internalRequest(internal, hostile, "{}").status()).as(hostile).isEqualTo(400);
		}
		assertThat(internal
			.send(internal.request(path)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{}")))
			.status()).as("no shared token").isEqualTo(401);
		assertThat(internal.send(internal.request(path).header("X-Herald-Internal", "herald-internal").GET()).status())
			.isEqualTo(403);
		assertThat(this.acme
			.send(this.acme.request(path).header("X-Herald-Internal", RoutingTestSupport.PREFERENCES_TOKEN).GET())
			.status()).as("not on the API port").isEqualTo(404);
		assertThat(this.acme.get("/v1/users/" + user + "/preferences").status()).isEqualTo(404);
	}

	@Test
	void thePreferencesTokenOpensThePreferencesAndNothingElse() {
		String user = newUser();
		this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\"}");
		Api internal = new Api("http://127.0.0.1:" + this.managementPort, null);
		String token = RoutingTestSupport.PREFERENCES_TOKEN;
		assertThat(internalRequest(internal, "/actuator/userpreferences/acme/" + user, null).status()).isEqualTo(200);
		for (String path : List.of("/actuator/userstate/acme/" + user, "/actuator/templatestate/acme",
				"/actuator/templatestate/acme/order.shipped")) {
			Response refused = internal.send(internal.request(path).header("X-Herald-Internal", token).GET());
			assertThat(refused.status()).as(path).isEqualTo(403);
			assertThat(refused.json().get("code").stringValue()).as(path).isEqualTo("operator_forbidden");
			assertThat(refused.body()).as(path).doesNotContain("ada@example.com");
		}
		for (String path : List.of("/actuator/env", "/actuator/loggers", "/actuator")) {
			Response asHeader = internal.send(internal.request(path).header("X-Herald-Internal", token).GET());
			assertThat(asHeader.status()).as(path).isEqualTo(401);
			assertThat(asHeader.json().get("code").stringValue()).as(path).isEqualTo("operator_unauthorized");
			Response asBearer = internal.send(internal.request(path).header("Authorization", "Bearer " + token).GET());
			assertThat(asBearer.status()).as(path).isEqualTo(403);
			assertThat(asBearer.json().get("code").stringValue()).as(path).isEqualTo("operator_forbidden");
		}
		Response instancesToken = internal.send(internal.request("/actuator/userpreferences/acme/" + user)
			.header("X-Herald-Internal", RoutingTestSupport.INTERNAL_TOKEN)
			.GET());
		assertThat(instancesToken.status()).as("the instances' token, once a preferences token is set").isEqualTo(403);
		assertThat(instancesToken.json().get("code").stringValue()).isEqualTo("operator_forbidden");
	}

	@Test
	void thePreferencesEndpointRefusesMissingWrongAndHostileTokensWithAProblem() {
		String user = newUser();
		Api internal = new Api("http://127.0.0.1:" + this.managementPort, null);
		String path = "/actuator/userpreferences/acme/" + user;
		Response missing = internal.get(path);
		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
		assertThat(missing.json().get("code").stringValue()).isEqualTo("operator_unauthorized");
		String token = RoutingTestSupport.PREFERENCES_TOKEN;
		for (String wrong : List.of("herald-internal", token.substring(1), token + "x", token.toUpperCase(),
				" ".repeat(3) + "x", "x".repeat(8192))) {
			Response refused = internal.send(internal.request(path).header("X-Herald-Internal", wrong).GET());
			assertThat(refused.status()).as(wrong).isIn(403, 431, 400);
			if (refused.status() == 403) {
				assertThat(refused.json().get("code").stringValue()).isEqualTo("operator_forbidden");
			}
		}
		Response asBearer = internal.send(internal.request(path).header("Authorization", "Bearer " + token).GET());
		assertThat(asBearer.status()).as("the token belongs in X-Herald-Internal").isEqualTo(401);
		Response write = internal.send(internal.request(path)
			.header("X-Herald-Internal", "wrong-preferences-token-0123456789abcdef")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"preferences\": \"{}\"}")));
		assertThat(write.status()).isEqualTo(403);
		assertThat(this.acme.get("/v1/users/" + user + "/preferences").status()).as("nothing was written")
			.isEqualTo(404);
	}

	/**
	 * A read ({@code body} {@code null}) or replacement of the gateway's preferences
	 * endpoint, with the preferences token.
	 */
	private static Response internalRequest(Api internal, String path, @Nullable String body) {
		HttpRequest.Builder request = internal.request(path)
			.header("X-Herald-Internal", RoutingTestSupport.PREFERENCES_TOKEN);
		if (body == null) {
			return internal.send(request.GET());
		}
		String wrapped = JsonCodec.MAPPER.createObjectNode().put("preferences", body).toString();
		return internal.send(
				request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(wrapped)));
	}

	@Test
	void whileTheReadModelIsDownWritesAreAcceptedAndReadsAreUnavailable() {
		String user = newUser();
		StreamsBuilderFactoryBean readModel = stopReadModel();
		try {
			Response put = this.acme.put("/v1/users/" + user, "{\"email\": \"ada@example.com\"}");
			assertThat(put.status()).as("durable, not yet readable").isEqualTo(202);
			assertThat(put.json()).isEqualTo(json("{\"email\": \"ada@example.com\"}"));
			Response get = this.acme.get("/v1/users/" + user);
			assertThat(get.status()).isEqualTo(503);
			assertThat(get.header("Retry-After")).isEqualTo("5");
			assertThat(get.json().get("code").stringValue()).isEqualTo("service_unavailable");
		}
		finally {
			readModel.start();
		}
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(this.acme.get("/v1/users/" + user).json())
				.isEqualTo(json("{\"email\": \"ada@example.com\"}")));
	}

	private void assertInvalid(Response response, String... fields) {
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("code").stringValue()).isEqualTo("invalid_request");
		assertThat(response.json().get("errors").findValuesAsString("field")).containsExactly(fields);
	}

	private static Instant registeredAt(Response device) {
		return Instant.parse(device.json().get("registeredAt").stringValue());
	}

	private HttpRequest.Builder put(String user, String json) {
		return this.acme.request("/v1/users/" + user)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json));
	}

	private Response patch(String user, String json, @Nullable String ifMatch) {
		HttpRequest.Builder request = this.acme.request("/v1/users/" + user)
			.header("Content-Type", UserController.MERGE_PATCH_JSON)
			.method("PATCH", HttpRequest.BodyPublishers.ofString(json));
		if (ifMatch != null) {
			request.header("If-Match", ifMatch);
		}
		return send(request);
	}

	private Response send(HttpRequest.Builder request) {
		return this.acme.send(request);
	}

	private static String newUser() {
		return "u-" + UUID.randomUUID();
	}

	private static JsonNode json(String json) {
		return JsonCodec.MAPPER.readTree(json);
	}

	private static String encode(String token) {
		return URLEncoder.encode(token, StandardCharsets.UTF_8);
	}

}
