package io.herald.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.herald.systemtests.RawHttp.Request;
import io.herald.systemtests.RawHttp.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static io.herald.systemtests.HostileStack.JSON;
import static io.herald.systemtests.HostileStack.KEY_A;
import static io.herald.systemtests.HostileStack.KEY_B;
import static io.herald.systemtests.HostileStack.SECRET_A;
import static io.herald.systemtests.HostileStack.SECRET_B;
import static io.herald.systemtests.HostileStack.TENANT_A;
import static io.herald.systemtests.HostileStack.TENANT_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tenant B's user, with contact points, a device, a topic subscription, preferences and
 * an in-app notification, against every read and write path of the public API used with
 * tenant A's API key or user tokens: reads answer {@code 403}/{@code 404} (or A's own,
 * empty data) and reveal nothing of B; writes change only A's data, as B's own reads show
 * afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(TwoTenantStackTests.ORDER)
class TenantIsolationIntegrationTests extends TwoTenantStackTests {

	/**
	 * The same user id in both tenants: isolation must hold by tenant, not by distinct
	 * ids.
	 */
	private static final String USER = "bob";

	private static final String B_EMAIL = "bob@rival.example";

	private static final String B_PHONE = "+4915199990000";

	private static final String B_DEVICE = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";

	private static final String B_TOPIC = "rival-news";

	private static final String B_TITLE = "Rival secret title";

	/**
	 * An FCM registration token that tenant A registers for its own user of the same id.
	 */
	private static final String A_DEVICE = "mallory:APA91b" + "M".repeat(120);

	private static final Duration ASYNC = Duration.ofSeconds(60);

	private static String bEventId;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void startStackWithTenantBData() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String users = url("routing", "/v1/users/" + USER);
		assertThat(send(http, KEY_B, "PUT", users, """
				{"email": "%s", "phone": "%s", "locale": "fr-FR", "timezone": "Europe/Paris"}""".formatted(B_EMAIL,
				B_PHONE))
			.statusCode()).isIn(200, 202);
		assertThat(send(http, KEY_B, "PUT", users + "/preferences", """
				{"channels": {"sms": false}, "categories": {"rival.*": {"enabled": true}}}""").statusCode()).isIn(200,
				202);
		assertThat(send(http, KEY_B, "POST", users + "/devices", """
				{"platform": "ios", "token": "%s"}""".formatted(B_DEVICE)).statusCode()).isIn(201, 202);
		assertThat(send(http, KEY_B, "PUT", url("routing", "/v1/topics/" + B_TOPIC + "/subscribers/" + USER), null)
			.statusCode()).isIn(200, 202);
		await().atMost(ASYNC).untilAsserted(() -> {
			assertThat(send(http, KEY_B, "GET", users + "/devices", null).body()).contains(B_DEVICE);
			assertThat(send(http, KEY_B, "GET", users + "/topics", null).body()).contains(B_TOPIC);
		});
		HttpResponse<String> event = send(http, KEY_B, "POST", url("ingestion", "/v1/events"), """
				{"type": "rival.secret", "recipients": {"users": ["%s"]}, "channels": ["inapp"],
				 "content": {"title": "%s", "body": "Rival secret body"}, "data": {"rival": "secret-data"}}"""
			.formatted(USER, B_TITLE));
		assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
		bEventId = JSON.readTree(event.body()).path("eventId").asString();
		await().atMost(ASYNC).untilAsserted(() -> assertThat(bInbox().body()).contains(B_TITLE));
	}

	@Order(1)
	@ParameterizedTest(name = "{0}")
	@MethodSource("readsWithTenantACredentials")
	void tenantACannotReadTenantBData(Read read) {
		Response response = RawHttp.send(stack.service(read.service()).port(), read.request());
		if (read.ownEmptyData()) {
			assertThat(response.status()).as(response.describe()).isEqualTo(200);
		}
		else {
			assertThat(response.status()).as(response.describe()).isIn(401, 403, 404);
			HostileStack.assertProblem(response);
		}
		for (String secret : secretsOfB()) {
			if (!read.request().target().contains(secret)) {
				assertThat(response.body()).as(response.describe()).doesNotContain(secret);
			}
		}
	}

	static Stream<Named<Read>> readsWithTenantACredentials() {
		String user = "/v1/users/" + USER;
		String aToken = HostileTokens.valid(TENANT_A, SECRET_A, USER);
		return Stream.of(read("profile", "routing", get(user).apiKey(KEY_A)),
				read("preferences", "routing", get(user + "/preferences").apiKey(KEY_A)),
				read("devices", "routing", get(user + "/devices").apiKey(KEY_A)),
				read("topics", "routing", get(user + "/topics").apiKey(KEY_A)),
				read("subscription", "routing", get("/v1/topics/" + B_TOPIC + "/subscribers/" + USER).apiKey(KEY_A)),
				read("profile with X-Api-Key", "routing", get(user).header("X-Api-Key", KEY_A)),
				read("event status", "ingestion", get("/v1/events/" + bEventId).apiKey(KEY_A)),
				read("event status with X-Api-Key", "ingestion",
						get("/v1/events/" + bEventId).header("X-Api-Key", KEY_A)),
				ownEmpty("inbox of A's user of the same id", get("/v1/inbox").apiKey(aToken)),
				ownEmpty("unread count of A's user of the same id", get("/v1/inbox/unread-count").apiKey(aToken)),
				read("inbox with a token signed by B's secret claiming A", "gateway",
						get("/v1/inbox").apiKey(HostileTokens.valid(TENANT_A, SECRET_B, USER))),
				read("inbox with a token signed by A's secret claiming B", "gateway",
						get("/v1/inbox").apiKey(HostileTokens.valid(TENANT_B, SECRET_A, USER))),
				read("unread count with a token signed by A's secret claiming B", "gateway",
						get("/v1/inbox/unread-count").apiKey(HostileTokens.valid(TENANT_B, SECRET_A, USER))),
				read("inbox with B's API key instead of a token", "gateway", get("/v1/inbox").apiKey(KEY_B)),
				read("sse with a token signed by A's secret claiming B", "gateway",
						get("/v1/sse?since=0").header("Accept", "text/event-stream")
							.apiKey(HostileTokens.valid(TENANT_B, SECRET_A, USER))));
	}

	@Order(2)
	@Test
	void tenantAUserOfTheSameIdReplaysNothingOfTenantBOverWebSocket() throws Exception {
		try (HostileInputIntegrationTests.Socket socket = HostileInputIntegrationTests.Socket
			.open(stack.service("gateway").port(), HostileTokens.valid(TENANT_A, SECRET_A, USER))) {
			String hello = socket.next();
			assertThat(JSON.readTree(hello).path("lastSeq").asLong()).as(hello).isZero();
			socket.ws().sendText("{\"type\":\"resume\",\"since\":0}", true).get(10, TimeUnit.SECONDS);
			String resumed = socket.next();
			assertThat(resumed).contains("\"type\":\"resumed\"");
			for (String frame : List.of(hello, resumed)) {
				secretsOfB().forEach((secret) -> assertThat(frame).doesNotContain(secret));
			}
		}
	}

	@Order(3)
	@Test
	void tenantAWritesToTheSameIdsLeaveTenantBDataUnchanged() throws Exception {
		String users = url("routing", "/v1/users/" + USER);
		String aToken = HostileTokens.valid(TENANT_A, SECRET_A, USER);
		assertThat(
				send(KEY_A, "PUT", users, "{\"email\": \"mallory@demo.example\", \"locale\": \"en-GB\"}").statusCode())
			.isIn(200, 202);
		assertThat(send(KEY_A, "PUT", users + "/preferences", "{\"channels\": {\"email\": false, \"sms\": true}}")
			.statusCode()).isIn(200, 202);
		assertThat(
				send(KEY_A, "POST", users + "/devices", "{\"platform\": \"android\", \"token\": \"" + A_DEVICE + "\"}")
					.statusCode())
			.isIn(201, 202);
		assertThat(send(KEY_A, "DELETE", users + "/devices/" + B_DEVICE, null).statusCode()).isEqualTo(404);
		String subscription = url("routing", "/v1/topics/" + B_TOPIC + "/subscribers/" + USER);
		assertThat(send(KEY_A, "DELETE", subscription, null).statusCode()).isEqualTo(404);
		assertThat(send(KEY_A, "PUT", subscription, null).statusCode()).isIn(200, 202);
		await().atMost(ASYNC)
			.untilAsserted(() -> assertThat(send(KEY_A, "GET", users + "/topics", null).body()).contains(B_TOPIC));

		HttpResponse<String> topicEvent = send(KEY_A, "POST", url("ingestion", "/v1/events"), """
				{"type": "mallory.topic", "recipients": {"topic": "%s"}, "channels": ["inapp"],
				 "content": {"title": "Mallory topic", "body": "to A's subscribers only"}}""".formatted(B_TOPIC));
		assertThat(topicEvent.statusCode()).as(topicEvent.body()).isEqualTo(202);
		HttpResponse<String> allEvent = send(KEY_A, "POST", url("ingestion", "/v1/events"), """
				{"type": "mallory.all", "recipients": {"all": true}, "channels": ["inapp"],
				 "content": {"title": "Mallory all", "body": "to every user of A"}}""");
		assertThat(allEvent.statusCode()).as(allEvent.body()).isEqualTo(202);
		await().atMost(ASYNC)
			.untilAsserted(() -> assertThat(inbox(aToken).body()).contains("Mallory topic").contains("Mallory all"));
		assertThat(send(aToken, "POST", url("gateway", "/v1/inbox/read"), "{\"upTo\": 2}").statusCode()).isEqualTo(200);
		assertThat(send(aToken, "POST", url("gateway", "/v1/inbox/ack"), "{\"upTo\": 2}").statusCode()).isEqualTo(200);

		assertThat(send(KEY_A, "DELETE", users, null).statusCode()).isIn(202, 204);
		await().atMost(ASYNC).untilAsserted(() -> {
			assertThat(send(KEY_A, "GET", users, null).statusCode()).isEqualTo(404);
			assertThat(inbox(aToken).body()).doesNotContain("Mallory");
		});

		HttpClient http = this.http;
		String profile = send(http, KEY_B, "GET", users, null).body();
		assertThat(profile).contains(B_EMAIL).contains(B_PHONE).doesNotContain("mallory");
		String preferences = send(http, KEY_B, "GET", users + "/preferences", null).body();
		assertThat(JSON.readTree(preferences).path("channels").path("sms").asBoolean(true)).as(preferences).isFalse();
		assertThat(send(http, KEY_B, "GET", users + "/devices", null).body()).contains(B_DEVICE)
			.doesNotContain(A_DEVICE);
		assertThat(send(http, KEY_B, "GET", users + "/topics", null).body()).contains(B_TOPIC);
		assertThat(send(http, KEY_B, "GET", subscription, null).statusCode()).isEqualTo(200);
		JsonNode inbox = JSON.readTree(bInbox().body());
		assertThat(inbox.toString()).contains(B_TITLE).doesNotContain("Mallory");
		assertThat(inbox.path("lastSeq").asLong()).as(inbox.toString()).isEqualTo(1);
		assertThat(inbox.path("readUpTo").asLong()).as(inbox.toString()).isZero();
		assertThat(inbox.path("unread").asLong()).as(inbox.toString()).isEqualTo(1);
		HttpResponse<String> status = send(http, KEY_B, "GET", url("ingestion", "/v1/events/" + bEventId), null);
		assertThat(status.statusCode()).isEqualTo(200);
	}

	@Order(Integer.MAX_VALUE)
	@Test
	void nothingIsLoggedAtErrorLevel() {
		stack.assertNothingLoggedAtError();
	}

	private static List<String> secretsOfB() {
		return List.of(B_EMAIL, B_PHONE, B_DEVICE, B_TOPIC, B_TITLE, "Rival secret body", "secret-data", bEventId,
				"fr-FR", "Europe/Paris", "rival.*");
	}

	private static HttpResponse<String> bInbox() throws Exception {
		return inbox(HostileTokens.valid(TENANT_B, SECRET_B, USER));
	}

	private static HttpResponse<String> inbox(String token) throws Exception {
		return send(HttpClient.newHttpClient(), token, "GET", url("gateway", "/v1/inbox"), null);
	}

	private HttpResponse<String> send(String credential, String method, String url, String body) throws Exception {
		return send(this.http, credential, method, url, body);
	}

	/**
	 * Sends a request with a bearer credential (an API key or a user token) and a JSON
	 * body, if any.
	 */
	private static HttpResponse<String> send(HttpClient http, String credential, String method, String url, String body)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer " + credential)
			.timeout(Duration.ofSeconds(30));
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String url(String service, String path) {
		return stack.service(service).url() + path;
	}

	private static Request get(String target) {
		return Request.of("GET", target);
	}

	private static Named<Read> read(String name, String service, Request request) {
		return Named.of(name, new Read(service, request, false));
	}

	private static Named<Read> ownEmpty(String name, Request request) {
		return Named.of(name, new Read("gateway", request, true));
	}

	/**
	 * A read with tenant A's credentials of what tenant B holds.
	 *
	 * @param ownEmptyData whether the request reads A's own (empty) data, answered
	 * {@code 200}
	 */
	record Read(String service, Request request, boolean ownEmptyData) {
	}

}
