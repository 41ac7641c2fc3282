package io.herald.gateway.preferences;

import io.herald.gateway.GatewayIntegrationTest;
import io.herald.gateway.TestHttp;
import io.herald.gateway.TestRouting;
import io.herald.gateway.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.NestedTestConfiguration;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The user's own preferences ({@code GET} and {@code PUT /v1/inbox/preferences}) against
 * a gateway whose routing is {@link TestRouting}: what reaches routing and with which
 * token, what the gateway refuses before, how it relays routing's answers, what a routing
 * that hangs costs it, and what a gateway without a token for routing answers. With a
 * real routing: local-stack's {@code PreferencesIntegrationTests}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PreferencesApiIntegrationTests extends GatewayIntegrationTest {

	static final String TENANT = "t-preferences";

	static final String OTHER_TENANT = "t-preferences-other";

	static final String OTHER_SECRET = "other-preferences-secret-0123456789abcdef";

	private static final TestRouting routing = new TestRouting();

	/** How long the gateway waits for routing here (15 s by default). */
	private static final Duration TIMEOUT_TO_ROUTING = Duration.ofSeconds(3);

	private static final int MAX_CALLS = 4;

	private static final String PATH = "/v1/inbox/preferences";

	private static final String PREFERENCES = "{\"channels\":{\"sms\":false},\"categories\":{\"marketing.*\":{\"enabled\":false}}}";

	@Autowired
	MeterRegistry meters;

	@LocalManagementPort
	int managementPort;

	private TestHttp http;

	private String token;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("herald.gateway.jwt.tenants[0].tenant", () -> TENANT);
		registry.add("herald.gateway.jwt.tenants[0].secret", () -> TestTokens.SECRET);
		registry.add("herald.gateway.jwt.tenants[1].tenant", () -> OTHER_TENANT);
		registry.add("herald.gateway.jwt.tenants[1].secret", () -> OTHER_SECRET);
		registry.add("herald.gateway.preferences.routing-url", routing::url);
		registry.add("herald.routing.preferences-token", () -> TestRouting.TOKEN);
		registry.add("herald.gateway.preferences.timeout", () -> TIMEOUT_TO_ROUTING.toString());
		registry.add("herald.gateway.preferences.max-concurrent-calls", () -> MAX_CALLS);
	}

	@AfterAll
	static void stopRouting() {
		routing.close();
	}

	@AfterEach
	void releaseRouting() {
		routing.release();
	}

	@BeforeEach
	void newToken() {
		this.http = new TestHttp(this.port);
		this.token = TestTokens.token(TENANT, this.user);
	}

	@Test
	void theTokensUserReadsAndReplacesTheirPreferencesThroughRoutingWithThePreferencesToken() {
		assertThat(this.http.get(PATH, this.token).ok()).isEqualTo(json(TestRouting.DEFAULTS));

		TestHttp.Response replaced = put(this.token, "application/json", PREFERENCES);

		assertThat(replaced.ok()).isEqualTo(json(PREFERENCES));
		assertThat(this.http.get(PATH, this.token).ok()).isEqualTo(json(PREFERENCES));
		List<TestRouting.Request> asked = requestsOf(this.user);
		assertThat(asked).extracting(TestRouting.Request::method).containsExactly("GET", "POST", "GET");
		assertThat(asked).allSatisfy((request) -> {
			assertThat(request.path()).isEqualTo("/actuator/userpreferences/" + TENANT + "/" + this.user);
			assertThat(request.token()).isEqualTo(TestRouting.TOKEN);
		});
		assertThat(json(asked.get(1).body()).get("preferences").stringValue()).isEqualTo(PREFERENCES);
	}

	@Test
	void noRequestCanNameAnotherUsersPreferences() {
		put(this.token, "application/json", PREFERENCES).ok();
		String other = "u-other-" + this.user;

		assertThat(this.http.get(PATH, TestTokens.token(TENANT, other)).ok()).isEqualTo(json(TestRouting.DEFAULTS));
		assertThat(this.http.get(PATH, TestTokens.token(OTHER_TENANT, this.user, null, OTHER_SECRET)).ok())
			.as("the same user id in another tenant")
			.isEqualTo(json(TestRouting.DEFAULTS));
		assertThat(this.http.get(PATH + "?userId=" + other + "&tenant=" + OTHER_TENANT, TestTokens.token(TENANT, other))
			.ok()).isEqualTo(json(TestRouting.DEFAULTS));
		assertThat(routing.requests()).extracting(TestRouting.Request::path)
			.contains("/actuator/userpreferences/" + OTHER_TENANT + "/" + this.user,
					"/actuator/userpreferences/" + TENANT + "/" + other);
		this.http.get(PATH + "/../unread-count", this.token).assertProblem(400, "invalid_request_target");
	}

	@Test
	void missingWrongAndExpiredTokensAre401AndNeverReachRouting() {
		int before = routing.requests().size();
		for (String bad : new String[] { null, "not-a-jwt", TestTokens.token(TENANT, this.user, null, OTHER_SECRET),
				TestTokens.token(TENANT, this.user, Instant.now().minusSeconds(3600), TestTokens.SECRET),
				TestTokens.token("t-unknown", this.user) }) {
			this.http.get(PATH, bad).assertInvalidToken();
			put(bad, "application/json", PREFERENCES).assertInvalidToken();
		}
		assertThat(routing.requests()).hasSize(before);
	}

	@Test
	void hostileBodiesAreRefusedBeforeRoutingOrByIt() {
		put(this.token, "application/json", "{\"channels\": ").assertProblem(400, "malformed_json");
		put(this.token, "text/plain", PREFERENCES).assertProblem(415, "unsupported_media_type");
		String huge = "{\"categories\": {\"a\": {\"enabled\": true}}, \"x\": \"" + "x".repeat(70 * 1024) + "\"}";
		put(this.token, "application/json", huge).assertProblem(413, "payload_too_large");
		assertThat(requestsOf(this.user)).isEmpty();
		String refusal = "{\"type\":\"urn:herald:problem:invalid_request\",\"title\":\"The request is invalid\","
				+ "\"status\":400,\"detail\":\"The field channels.fax is invalid.\",\"code\":\"invalid_request\","
				+ "\"errors\":[{\"field\":\"channels.fax\",\"message\":\"is not a channel: use one of inapp, push, email, sms\"}]}";
		routing.answerNext(400, refusal);

		JsonNode problem = put(this.token, "application/json", "{\"channels\": {\"fax\": true}}")
			.assertProblem(400, "invalid_request")
			.json();

		assertThat(problem.get("errors")).isEqualTo(json(refusal).get("errors"));
		assertThat(problem.get("instance").stringValue()).isEqualTo(PATH);
		assertThat(json(requestsOf(this.user).get(0).body()).get("preferences").stringValue())
			.isEqualTo("{\"channels\":{\"fax\":true}}");
		put(this.token, "application/json", "[1, 2]");
		assertThat(json(requestsOf(this.user).get(1).body()).get("preferences").stringValue())
			.as("JSON of another shape is routing's to refuse")
			.isEqualTo("[1,2]");
	}

	@Test
	void whatRoutingCannotServeIs503WithRetryAfterAndAWriteItHasNotShownYet202() {
		double unavailable = this.meters
			.counter("herald.gateway.preferences.requests", "operation", "read", "outcome", "unavailable")
			.count();
		routing.answerNext(503, TestRouting.problem(503, "service_unavailable"));
		assertUnavailable(this.http.get(PATH, this.token));
		routing.answerNext(403, TestRouting.problem(403, "operator_forbidden"));
		assertUnavailable(this.http.get(PATH, this.token));
		routing.answerNext(500, "{}");
		assertUnavailable(this.http.get(PATH, this.token));
		// A write: a read whose connection dies is tried again by the HTTP client.
		routing.dropNext();
		assertUnavailable(put(this.token, "application/json", PREFERENCES));
		assertThat(this.meters
			.counter("herald.gateway.preferences.requests", "operation", "read", "outcome", "unavailable")
			.count()).isEqualTo(unavailable + 3);

		routing.answerNext(202, PREFERENCES);
		TestHttp.Response accepted = put(this.token, "application/json", PREFERENCES);
		assertThat(accepted.status()).isEqualTo(202);
		assertThat(accepted.json()).isEqualTo(json(PREFERENCES));
	}

	@Test
	void aRoutingThatDoesNotAnswerIs503AfterTheTimeoutAndHoldsNoMoreThanTheCallLimit() throws Exception {
		int requests = 3 * MAX_CALLS;
		routing.hold();
		List<CompletableFuture<TestHttp.Response>> answers = new ArrayList<>();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < requests; i++) {
				String token = TestTokens.token(TENANT, this.user + "-" + i);
				boolean read = i % 2 == 0;
				answers.add(CompletableFuture.supplyAsync(
						() -> read ? this.http.get(PATH, token) : put(token, "application/json", PREFERENCES),
						clients));
			}
			// While routing hangs, the rest of the gateway serves as usual.
			await().atMost(TIMEOUT).until(() -> routing.inProgress() == MAX_CALLS);
			this.http.get("/v1/inbox/unread-count", this.token).ok();
			assertThat(health("readiness")).isEqualTo(200);
			assertThat(health("liveness")).isEqualTo(200);
			for (CompletableFuture<TestHttp.Response> answer : answers) {
				assertUnavailable(answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
			}
		}
		assertThat(routing.mostInProgress()).as("calls routing had to hold at once").isEqualTo(MAX_CALLS);
		assertThat(routing.requests()).filteredOn((request) -> request.path().contains("/" + this.user + "-"))
			.as("the calls beyond the limit were answered without asking routing")
			.hasSize(MAX_CALLS);
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(this.meters.get("herald.gateway.preferences.in.flight").gauge().value()).isZero());
		assertThat(this.meters.get("herald.gateway.preferences.routing")
			.tag("operation", "read")
			.timer()
			.max(TimeUnit.MILLISECONDS)).as("a call gives up after the timeout")
			.isGreaterThanOrEqualTo(TIMEOUT_TO_ROUTING.toMillis() - 100);

		routing.release();
		for (int i = 0; i < 2 * MAX_CALLS; i++) {
			assertThat(this.http.get(PATH, this.token).ok()).as("no call slot was lost to the timeouts")
				.isEqualTo(json(TestRouting.DEFAULTS));
		}
	}

	@Nested
	@NestedTestConfiguration(NestedTestConfiguration.EnclosingConfiguration.OVERRIDE)
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	@DirtiesContext
	class WithoutATokenForRouting extends GatewayIntegrationTest {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			registry.add("herald.gateway.jwt.tenants[0].tenant", () -> TENANT);
			registry.add("herald.gateway.jwt.tenants[0].secret", () -> TestTokens.SECRET);
			registry.add("herald.gateway.preferences.routing-url", routing::url);
		}

		@Test
		void preferencesAre503WithRetryAfterNeverAskRoutingAndTheRestOfTheGatewayServes() {
			TestHttp http = new TestHttp(this.port);
			String token = TestTokens.token(TENANT, this.user);
			int before = routing.requests().size();

			assertUnavailable(http.get(PATH, token));
			TestHttp.Response write = TestHttp.send(http.request(PATH, token)
				.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString(PREFERENCES)));
			assertUnavailable(write);
			assertThat(write.json().get("detail").stringValue()).contains("nothing was changed");

			assertThat(routing.requests()).hasSize(before);
			http.get(PATH, null).assertInvalidToken();
			http.get("/v1/inbox/unread-count", token).ok();
		}

	}

	private int health(String group) throws Exception {
		return TestHttp.CLIENT
			.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/" + group))
				.timeout(TIMEOUT)
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private static void assertUnavailable(TestHttp.Response response) {
		response.assertProblem(503, "service_unavailable");
		assertThat(response.header("Retry-After")).isEqualTo("5");
	}

	private TestHttp.Response put(String token, String contentType, String body) {
		return TestHttp.send(this.http.request(PATH, token)
			.header("Content-Type", contentType)
			.PUT(HttpRequest.BodyPublishers.ofString(body)));
	}

	private List<TestRouting.Request> requestsOf(String user) {
		return routing.requests().stream().filter((request) -> request.path().endsWith("/" + user)).toList();
	}

	private static JsonNode json(String text) {
		return JsonMapper.shared().readTree(text);
	}

}
