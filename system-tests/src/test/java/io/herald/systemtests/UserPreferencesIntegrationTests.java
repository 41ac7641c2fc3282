package io.herald.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.herald.localstack.DemoUserToken;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The user's own preferences through the gateway ({@code /v1/inbox/preferences}, user
 * token) against the real routing that keeps them, both from the packaged jars: one store
 * and one set of rules with routing's user API (API key), tenant and user isolation, and
 * hostile input. On the stack shared with the hostile-input suites.
 */
@Order(TwoTenantStackTests.ORDER)
class UserPreferencesIntegrationTests extends TwoTenantStackTests {

	private static final String PATH = "/v1/inbox/preferences";

	private static final String DEFAULTS = "{\"channels\": {}, \"categories\": {}}";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void theGatewayAndTheUserApiReadAndWriteTheSamePreferences() throws Exception {
		String user = newUser();
		assertThat(json(gateway("GET", user, null).body())).isEqualTo(json(DEFAULTS));
		String preferences = "{\"channels\": {\"sms\": false}, \"categories\": {\"marketing.*\": {\"enabled\": false}}, "
				+ "\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\"}}";

		HttpResponse<String> put = gateway("PUT", user, preferences);

		assertThat(put.statusCode()).as(put.body()).isIn(200, 202);
		assertThat(json(put.body())).isEqualTo(json(preferences));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(json(routing("GET", user, null).body())).isEqualTo(json(preferences)));
		String byApi = "{\"channels\": {\"email\": false}, \"categories\": {}}";
		assertThat(routing("PUT", user, byApi).statusCode()).isIn(200, 202);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(json(gateway("GET", user, null).body())).isEqualTo(json(byApi)));
	}

	@Test
	void theGatewayRefusesWhatTheUserApiRefusesWithTheSameProblemAndWritesNothing() throws Exception {
		String user = newUser();
		String invalid = "{\"channels\": {\"fax\": true}, \"categories\": {\"Not A Pattern\": {\"enabled\": false}, "
				+ "\"order.*\": {}}, \"quietHours\": {\"start\": \"25:00\", \"end\": \"07:00\"}}";

		JsonNode byGateway = json(gateway("PUT", user, invalid).body());
		JsonNode byApi = json(routing("PUT", user, invalid).body());

		assertThat(byGateway.get("status").intValue()).isEqualTo(400);
		assertThat(byGateway.get("code").stringValue()).isEqualTo("invalid_request");
		assertThat(byGateway.get("errors")).isEqualTo(byApi.get("errors"));
		assertThat(byGateway.get("errors").findValuesAsString("field")).containsExactly("channels.fax",
				"categories.Not A Pattern", "categories.order.*", "quietHours.start");
		assertThat(byGateway.get("detail")).isEqualTo(byApi.get("detail"));
		assertThat(byGateway.get("instance").stringValue()).isEqualTo(PATH);
		assertThat(gateway("PUT", user, "[\"channels\"]").statusCode()).isEqualTo(400);
		assertThat(json(gateway("PUT", user, "{\"channels\": ").body()).get("code").stringValue())
			.isEqualTo("malformed_json");
		assertThat(gateway("PUT", user, "{\"x\": \"" + "x".repeat(70 * 1024) + "\"}").statusCode()).isEqualTo(413);
		assertThat(routing("GET", user, null).statusCode()).as("no user was created").isEqualTo(404);
	}

	@Test
	void aUserReadsAndWritesOnlyTheirOwnPreferencesAndNoTokenReachesAny() throws Exception {
		String user = newUser();
		assertThat(gateway("PUT", user, "{\"channels\": {\"push\": false}}").statusCode()).isIn(200, 202);
		String other = newUser();

		assertThat(json(gateway("GET", other, null).body())).isEqualTo(json(DEFAULTS));
		HttpResponse<String> named = send(HttpRequest.newBuilder(URI.create(url("gateway") + PATH + "?userId=" + user))
			.header("Authorization", "Bearer " + token(other))
			.GET());
		assertThat(json(named.body())).isEqualTo(json(DEFAULTS));
		for (String bad : new String[] { null, "not-a-jwt", HostileTokens.tampered(token(user)) }) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("gateway") + PATH));
			if (bad != null) {
				request.header("Authorization", "Bearer " + bad);
			}
			HttpResponse<String> refused = send(request.GET());
			assertThat(refused.statusCode())
				.as("GET with token %s: %s %s %s", bad, refused.version(), refused.headers().map(), refused.body())
				.isEqualTo(401);
			assertThat(json(refused.body()).get("code").stringValue()).isEqualTo("invalid_token");
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(json(gateway("GET", user, null).body()))
				.isEqualTo(json("{\"channels\": {\"push\": false}, \"categories\": {}}")));
	}

	private HttpResponse<String> gateway(String method, String user, @Nullable String body) throws Exception {
		return send(body(HttpRequest.newBuilder(URI.create(url("gateway") + PATH)), method, body)
			.header("Authorization", "Bearer " + token(user)));
	}

	private HttpResponse<String> routing(String method, String user, @Nullable String body) throws Exception {
		return send(body(HttpRequest.newBuilder(URI.create(url("routing") + "/v1/users/" + user + "/preferences")),
				method, body)
			.header("Authorization", "Bearer " + stack.settings().demoApiKey()));
	}

	private static HttpRequest.Builder body(HttpRequest.Builder request, String method, @Nullable String body) {
		return (body == null) ? request.method(method, HttpRequest.BodyPublishers.noBody())
				: request.header("Content-Type", "application/json")
					.method(method, HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String token(String user) {
		return DemoUserToken.mint(stack.settings().demoTenant(), stack.settings().demoJwtSecret(), user, Instant.now());
	}

	private static String url(String service) {
		return stack.settings().service(service).url();
	}

	private static String newUser() {
		return "u-" + UUID.randomUUID();
	}

	private static JsonNode json(String text) {
		return JsonMapper.shared().readTree(text);
	}

}
