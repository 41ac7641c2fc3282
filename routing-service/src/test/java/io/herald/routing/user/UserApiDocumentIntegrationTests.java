package io.herald.routing.user;

import io.herald.routing.RoutingTestSupport;
import io.herald.routing.RoutingTestSupport.Api;
import io.herald.routing.RoutingTestSupport.Response;
import io.herald.infra.contract.OpenApiDocument;
import io.herald.infra.contract.ServedOperations;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user API against its OpenAPI document ({@code /v1/openapi.json}): every handler is
 * documented and every documented operation has one, every answer of a real request has a
 * documented status, schema, problem code and headers, and every documented answer and problem
 * code is produced here, but for the few named in {@link #NOT_PRODUCED_HERE}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class UserApiDocumentIntegrationTests {

	private static final String APPLICATION_ID = RoutingTestSupport
		.uniqueApplicationId(UserApiDocumentIntegrationTests.class);

	/**
	 * Documented answers this test does not produce, and why: a write's {@code 503} needs the
	 * broker down ({@code UserCommandLogOutageIntegrationTests}); a removal's {@code 202} needs the
	 * read model to stall between the check that the device or subscription exists and the write.
	 */
	private static final Set<String> NOT_PRODUCED_HERE = Set.of(
			"putProfile 503 (the command log is down: UserCommandLogOutageIntegrationTests)",
			"patchProfile 503 (as putProfile)", "eraseUser 503 (as putProfile)", "putPreferences 503 (as putProfile)",
			"registerDevice 503 (as putProfile)", "subscribe 503 (as putProfile)",
			"removeDevice 202 (the read model stalls after the device was found)", "unsubscribe 202 (as removeDevice)");

	private static final String PROFILE = "{\"email\": \"ada@example.com\", \"timezone\": \"Europe/Berlin\"}";

	private static final String DEVICE = "{\"platform\": \"ios\", \"token\": \"" + DeviceValidatorTests.APNS_TOKEN
			+ "\", \"appId\": \"com.example.app\"}";

	private static final String PREFERENCES = "{\"channels\": {\"sms\": false}, \"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\"}}";

	/** A path parameter: not canonical, refused before anything else ({@code invalid_request_target}). */
	private static final String NOT_CANONICAL = ";v=1";

	private static final String HUGE = "{\"email\": \"" + "a".repeat(70 * 1024) + "@example.com\"}";

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	private Api acme;

	private Api anonymous;

	private Api reader;

	private Api eventsOnly;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		RoutingTestSupport.registerProperties(registry, APPLICATION_ID);
		// Writes answer 202 after this long while the read model is stopped.
		registry.add("herald.routing.users.read-your-writes-timeout", () -> "1s");
	}

	@BeforeEach
	void awaitRunning() {
		RoutingTestSupport.awaitRunning(Duration.ofSeconds(60), this.context);
		this.acme = api(RoutingTestSupport.ACME_KEY);
		this.anonymous = api(null);
		this.reader = api(RoutingTestSupport.ACME_READER_KEY);
		this.eventsOnly = api(RoutingTestSupport.ACME_EVENTS_KEY);
	}

	@Test
	void theDocumentIsServedWithoutAKeyAndEveryHandlerIsAnOperationOfIt() {
		assertThat(OpenApiDocument.served(this.port).operations()).isEqualTo(ServedOperations.of(this.context));
	}

	@Test
	void everyAnswerIsAsDocumentedAndEveryDocumentedAnswerOccurs() {
		OpenApiDocument document = document();
		String user = newUser();
		String users = "/v1/users/" + user;
		String unknown = "/v1/users/" + newUser();
		String invalid = "/v1/users/a%7Cb";

		check(document, "putProfile", this.acme.put(users, PROFILE), 200);
		String tag = this.acme.get(users).header("ETag");
		check(document, "putProfile", this.acme.put(users, "{\"email\": \"nope\"}"), 400);
		check(document, "putProfile", this.acme.put(users, "{\"email\": "), 400);
		check(document, "putProfile", this.acme.put(users + NOT_CANONICAL, PROFILE), 400);
		check(document, "putProfile", this.anonymous.put(users, PROFILE), 401);
		check(document, "putProfile", this.reader.put(users, PROFILE), 403);
		check(document, "putProfile", send(this.acme, json(users, "PUT", PROFILE).header("Accept", "text/csv")), 406);
		check(document, "putProfile", send(this.acme, json(users, "PUT", PROFILE).header("If-Match", "\"aaaaaaaaaaaaaaaa\"")), 412);
		check(document, "putProfile", this.acme.put(users, HUGE), 413);
		check(document, "putProfile", send(this.acme, body(users, "PUT", "text/plain", PROFILE)), 415);

		check(document, "getProfile", this.acme.get(users), 200);
		check(document, "getProfile", send(this.acme, get(users).header("If-None-Match", tag)), 304);
		check(document, "getProfile", this.acme.get(invalid), 400);
		check(document, "getProfile", this.acme.get(users + NOT_CANONICAL), 400);
		check(document, "getProfile", this.anonymous.get(users), 401);
		check(document, "getProfile", this.eventsOnly.get(users), 403);
		check(document, "getProfile", this.acme.get(unknown), 404);
		check(document, "getProfile", send(this.acme, get(users).header("Accept", "text/csv")), 406);

		String patch = "{\"phone\": \"+4915112345678\", \"timezone\": null}";
		check(document, "patchProfile", send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, patch)), 200);
		check(document, "patchProfile", send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, "[]")), 400);
		check(document, "patchProfile", send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, "{")), 400);
		check(document, "patchProfile",
				send(this.acme, body(users + NOT_CANONICAL, "PATCH", UserController.MERGE_PATCH_JSON, patch)), 400);
		check(document, "patchProfile", send(this.anonymous, body(users, "PATCH", UserController.MERGE_PATCH_JSON, patch)), 401);
		check(document, "patchProfile", send(this.reader, body(users, "PATCH", UserController.MERGE_PATCH_JSON, patch)), 403);
		check(document, "patchProfile", send(this.acme,
				body(users, "PATCH", UserController.MERGE_PATCH_JSON, patch).header("Accept", "text/csv")), 406);
		check(document, "patchProfile", send(this.acme,
				body(users, "PATCH", UserController.MERGE_PATCH_JSON, patch).header("If-Match", tag)), 412);
		check(document, "patchProfile", send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, HUGE)), 413);
		check(document, "patchProfile", send(this.acme, body(users, "PATCH", "application/json-patch+json", "[]")), 415);

		String preferences = users + "/preferences";
		writes(document, "putPreferences", "PUT", preferences, PREFERENCES, "{\"channels\": {\"fax\": true}}", 200);
		reads(document, "getPreferences", "/preferences", user);

		String devices = users + "/devices";
		writes(document, "registerDevice", "POST", devices, DEVICE, "{\"platform\": \"fax\"}", 201);
		reads(document, "listDevices", "/devices", user);

		String subscription = "/v1/topics/news/subscribers/" + user;
		check(document, "subscribe", this.acme.put(subscription, ""), 200);
		check(document, "subscribe", this.acme.put("/v1/topics/News/subscribers/" + user, ""), 400);
		check(document, "subscribe", this.acme.put(subscription + NOT_CANONICAL, ""), 400);
		check(document, "subscribe", this.anonymous.put(subscription, ""), 401);
		check(document, "subscribe", this.reader.put(subscription, ""), 403);
		check(document, "subscribe", send(this.acme, json(subscription, "PUT", "").header("Accept", "text/csv")), 406);
		reads(document, "getTopics", "/topics", user);
		check(document, "getSubscription", this.acme.get(subscription), 200);
		check(document, "getSubscription", this.acme.get("/v1/topics/News/subscribers/" + user), 400);
		check(document, "getSubscription", this.acme.get(subscription + NOT_CANONICAL), 400);
		check(document, "getSubscription", this.anonymous.get(subscription), 401);
		check(document, "getSubscription", this.eventsOnly.get(subscription), 403);
		check(document, "getSubscription", this.acme.get("/v1/topics/other/subscribers/" + user), 404);
		check(document, "getSubscription", send(this.acme, get(subscription).header("Accept", "text/csv")), 406);

		removals(document, "removeDevice", devices + "/" + DeviceValidatorTests.APNS_TOKEN, invalid + "/devices/x");
		removals(document, "unsubscribe", subscription, "/v1/topics/News/subscribers/" + user);

		check(document, "eraseUser", this.anonymous.delete(users), 401);
		check(document, "eraseUser", this.reader.delete(users), 403);
		check(document, "eraseUser", this.acme.delete(invalid), 400);
		check(document, "eraseUser", this.acme.delete(users + NOT_CANONICAL), 400);
		check(document, "eraseUser", this.acme.delete(users), 204);

		whileTheReadModelIsStopped(document);

		assertThat(document.problems()).isEmpty();
		assertThat(document.unseen(NOT_PRODUCED_HERE)).as("documented answers no request produced").isEmpty();
	}

	/** {@code 202} for writes, {@code 503} for reads. */
	private void whileTheReadModelIsStopped(OpenApiDocument document) {
		String user = newUser();
		String users = "/v1/users/" + user;
		this.acme.put(users, PROFILE);
		this.acme.post(users + "/devices", DEVICE);
		this.acme.put("/v1/topics/news/subscribers/" + user, "");
		StreamsBuilderFactoryBean streams = this.context.getBean(
				"&" + KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_BUILDER_BEAN_NAME, StreamsBuilderFactoryBean.class);
		streams.setLeaveGroupOnClose(true);
		streams.stop();
		try {
			check(document, "getProfile", this.acme.get(users), 503);
			check(document, "getPreferences", this.acme.get(users + "/preferences"), 503);
			check(document, "getTopics", this.acme.get(users + "/topics"), 503);
			check(document, "listDevices", this.acme.get(users + "/devices"), 503);
			check(document, "getSubscription", this.acme.get("/v1/topics/news/subscribers/" + user), 503);
			check(document, "removeDevice", this.acme.delete(users + "/devices/" + DeviceValidatorTests.APNS_TOKEN), 503);
			check(document, "unsubscribe", this.acme.delete("/v1/topics/news/subscribers/" + user), 503);
			check(document, "putProfile", this.acme.put(users, PROFILE), 202);
			check(document, "patchProfile",
					send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, "{\"locale\": \"en\"}")), 202);
			check(document, "putPreferences", this.acme.put(users + "/preferences", PREFERENCES), 202);
			check(document, "registerDevice", this.acme.post(users + "/devices", DEVICE), 202);
			check(document, "subscribe", this.acme.put("/v1/topics/news/subscribers/" + user, ""), 202);
			check(document, "eraseUser", this.acme.delete(users), 202);
		}
		finally {
			streams.start();
		}
	}

	/** A read of the user's {@code suffix}: 200, 400 (a bad id, a path that is not canonical), 401, 403, 404, 406. */
	private void reads(OpenApiDocument document, String operationId, String suffix, String user) {
		String path = "/v1/users/" + user + suffix;
		check(document, operationId, this.acme.get(path), 200);
		check(document, operationId, this.acme.get("/v1/users/a%7Cb" + suffix), 400);
		check(document, operationId, this.acme.get(path + NOT_CANONICAL), 400);
		check(document, operationId, this.anonymous.get(path), 401);
		check(document, operationId, this.eventsOnly.get(path), 403);
		check(document, operationId, this.acme.get("/v1/users/" + newUser() + suffix), 404);
		check(document, operationId, send(this.acme, get(path).header("Accept", "text/csv")), 406);
	}

	/**
	 * A write with a JSON body: {@code ok}, 400 (for {@code invalid}, a body that is not JSON, a path
	 * that is not canonical), 401, 403, 406, 413, 415.
	 */
	private void writes(OpenApiDocument document, String operationId, String method, String path, String valid,
			String invalid, int ok) {
		check(document, operationId, send(this.acme, json(path, method, valid)), ok);
		check(document, operationId, send(this.acme, json(path, method, invalid)), 400);
		check(document, operationId, send(this.acme, json(path, method, "{")), 400);
		check(document, operationId, send(this.acme, json(path + NOT_CANONICAL, method, valid)), 400);
		check(document, operationId, send(this.anonymous, json(path, method, valid)), 401);
		check(document, operationId, send(this.reader, json(path, method, valid)), 403);
		check(document, operationId, send(this.acme, json(path, method, valid).header("Accept", "text/csv")), 406);
		check(document, operationId, send(this.acme, json(path, method, HUGE)), 413);
		check(document, operationId, send(this.acme, body(path, method, "text/plain", valid)), 415);
	}

	/** A removal of what exists: 401, 403, 400 (for {@code invalid}, a path that is not canonical), 204, then 404. */
	private void removals(OpenApiDocument document, String operationId, String path, String invalid) {
		check(document, operationId, this.anonymous.delete(path), 401);
		check(document, operationId, this.reader.delete(path), 403);
		check(document, operationId, this.acme.delete(invalid), 400);
		check(document, operationId, this.acme.delete(path + NOT_CANONICAL), 400);
		check(document, operationId, this.acme.delete(path), 204);
		check(document, operationId, this.acme.delete(path), 404);
	}

	private static void check(OpenApiDocument document, String operationId, Response response, int expected) {
		document.expect(operationId, expected, response.raw());
	}

	private OpenApiDocument document() {
		return OpenApiDocument.served(this.port);
	}

	/** A request without a key or server, for {@link #send}. */
	private static HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder().uri(URI.create("http://placeholder" + path)).GET();
	}

	private static HttpRequest.Builder json(String path, String method, String body) {
		return body(path, method, "application/json", body);
	}

	private static HttpRequest.Builder body(String path, String method, String contentType, String body) {
		return HttpRequest.newBuilder()
			.uri(URI.create("http://placeholder" + path))
			.header("Content-Type", contentType)
			.method(method.toUpperCase(Locale.ROOT), HttpRequest.BodyPublishers.ofString(body));
	}

	/** Sends a request made by {@link #get} or {@link #body} to the service with the api's key. */
	private static Response send(Api api, HttpRequest.Builder request) {
		HttpRequest template = request.build();
		HttpRequest.Builder real = api.request(template.uri().getRawPath());
		template.headers().map().forEach((name, values) -> values.forEach((value) -> real.header(name, value)));
		real.method(template.method(), template.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
		return api.send(real);
	}

	private Api api(@Nullable String key) {
		return RoutingTestSupport.api(this.port, key);
	}

	private static String newUser() {
		return "u-" + UUID.randomUUID();
	}

}
