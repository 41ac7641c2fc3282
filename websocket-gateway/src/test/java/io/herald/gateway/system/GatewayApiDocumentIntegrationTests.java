package io.herald.gateway.system;

import io.herald.gateway.OwnRedisGatewayTest;
import io.herald.gateway.TestRouting;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import io.herald.infra.RawHttp;
import io.herald.infra.contract.OpenApiDocument;
import io.herald.infra.contract.ServedOperations;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.AntPathMatcher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's HTTP API against its OpenAPI document ({@code /v1/openapi.json}): every
 * handler, the WebSocket upgrade, every static file and every CORS path is documented and
 * every documented operation exists; every answer of a real request has a documented
 * status, media type, schema, problem code and headers; and every documented answer and
 * problem code is produced here. The gateway runs on a Redis of its own, which the test
 * stops for the {@code 503}s, allows one web origin, and one connection per user.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.jwt.tenants[0].tenant=" + GatewayApiDocumentIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET,
				"herald.gateway.session.allowed-origins=" + GatewayApiDocumentIntegrationTests.APP,
				"herald.gateway.session.max-connections-per-user=1" })
@DirtiesContext
class GatewayApiDocumentIntegrationTests extends OwnRedisGatewayTest {

	static final String TENANT = "t-document";

	static final String APP = "https://app.example.com";

	private static final String OTHER = "https://elsewhere.example.com";

	/**
	 * A path parameter: not canonical, refused before anything else
	 * ({@code invalid_request_target}).
	 */
	private static final String NOT_CANONICAL = ";v=1";

	private static final Map<String, String> UPGRADE = Map.of("Upgrade", "websocket", "Connection", "Upgrade",
			"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13");

	/** Routing's preferences endpoint, as the gateway reaches it. */
	private static final TestRouting routing = new TestRouting();

	@Autowired
	ApplicationContext context;

	@DynamicPropertySource
	static void routing(DynamicPropertyRegistry registry) {
		registry.add("herald.gateway.preferences.routing-url", routing::url);
		registry.add("herald.routing.internal-token", () -> TestRouting.TOKEN);
	}

	@AfterAll
	static void stopRouting() {
		routing.close();
	}

	@Test
	void theDocumentIsServedWithoutATokenAndDescribesEveryEndpoint() throws IOException {
		OpenApiDocument document = document();
		Set<String> documented = new TreeSet<>(document.operations());
		documented.removeIf((operation) -> operation.startsWith("OPTIONS ") || !operation.contains(" /v1/"));
		Set<String> served = new TreeSet<>(ServedOperations.of(this.context));
		// Upgraded by Jetty's WebSocket core in front of Spring MVC
		// (session.WebSocketUpgrades).
		served.add("GET /v1/ws");
		assertThat(documented).isEqualTo(served);

		JsonNode paths = document.json().get("paths");
		for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath:static/**/*.*")) {
			String path = file.getURL().toString().replaceFirst("^.*/static/", "/");
			JsonNode item = paths.get(path);
			if (item == null) {
				String directory = path.substring(0, path.lastIndexOf('/') + 1);
				item = paths.get(directory + "{file}");
				assertThat(item).as("%s documented", path).isNotNull();
				assertThat(item.get("parameters")
					.get(0)
					.get("schema")
					.get("enum")
					.valueStream()
					.map(JsonNode::stringValue)).as("%s documented", path).contains(path.substring(directory.length()));
			}
			assertThat(item.has("get")).as("GET %s documented", path).isTrue();
		}

		AntPathMatcher matcher = new AntPathMatcher();
		paths.propertyNames()
			.forEach((path) -> assertThat(paths.get(path).has("options"))
				.as("OPTIONS %s documented as answered to other origins", path)
				.isEqualTo(BrowserOrigins.PATHS.stream().anyMatch((pattern) -> matcher.match(pattern, path))));
	}

	@Test
	void everyAnswerIsAsDocumentedAndEveryDocumentedAnswerOccurs() {
		OpenApiDocument document = document();
		String user = "u-" + UUID.randomUUID();
		String token = TestTokens.token(TENANT, user);
		lane.deliver(TENANT, user, 1, 3);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> get("/v1/inbox/unread-count", token, Map.of()).body().contains("\"lastSeq\":3"));

		inbox(document, token);
		preferences(document, token);
		eventStream(document);
		webSocket(document, token);
		browser(document);
		preflights(document);
		whileRedisIsDown(document, token);

		assertThat(document.problems()).isEmpty();
		assertThat(document.unseen()).as("documented answers no request produced").isEmpty();
	}

	private void inbox(OpenApiDocument document, String token) {
		String notCanonical = "/v1/inbox" + NOT_CANONICAL;
		JsonNode page = JsonMapper.shared()
			.readTree(expect(document, "getInbox", 200, get("/v1/inbox?limit=2", token, Map.of())).body());
		assertThat(page.get("nextBefore").longValue()).isEqualTo(2);
		expect(document, "getInbox", 200, get("/v1/inbox?before=2", token, Map.of("Origin", APP)));
		expect(document, "getInbox", 400, get("/v1/inbox?before=x", token, Map.of()));
		expect(document, "getInbox", 400, get(notCanonical, token, Map.of()));
		expect(document, "getInbox", 401, get("/v1/inbox", null, Map.of("Origin", APP)));
		expect(document, "getInbox", 403, get("/v1/inbox", token, Map.of("Origin", OTHER)));
		expect(document, "getInbox", 406, get("/v1/inbox", token, Map.of("Accept", "text/csv")));

		expect(document, "getUnreadCount", 200, get("/v1/inbox/unread-count", token, Map.of()));
		expect(document, "getUnreadCount", 400, get("/v1/inbox/unread-count" + NOT_CANONICAL, token, Map.of()));
		expect(document, "getUnreadCount", 401, get("/v1/inbox/unread-count", "not-a-token", Map.of()));
		expect(document, "getUnreadCount", 403, get("/v1/inbox/unread-count", token, Map.of("Origin", OTHER)));
		expect(document, "getUnreadCount", 406, get("/v1/inbox/unread-count", token, Map.of("Accept", "text/csv")));

		for (String operation : List.of("markRead", "acknowledge")) {
			String path = operation.equals("markRead") ? "/v1/inbox/read" : "/v1/inbox/ack";
			expect(document, operation, 200, post(path, token, "application/json", "{\"upTo\": 2}", Map.of()));
			expect(document, operation, 400, post(path, token, "application/json", "{\"upTo\": -1}", Map.of()));
			expect(document, operation, 400, post(path, token, "application/json", "{\"upTo\": ", Map.of()));
			expect(document, operation, 400,
					post(path + NOT_CANONICAL, token, "application/json", "{\"upTo\": 2}", Map.of()));
			expect(document, operation, 401, post(path, null, "application/json", "{\"upTo\": 2}", Map.of()));
			expect(document, operation, 403,
					post(path, token, "application/json", "{\"upTo\": 2}", Map.of("Origin", OTHER)));
			expect(document, operation, 406,
					post(path, token, "application/json", "{\"upTo\": 2}", Map.of("Accept", "text/csv")));
			expect(document, operation, 413, post(path, token, "application/json",
					"{\"upTo\": 2, \"x\": \"" + "x".repeat(5000) + "\"}", Map.of()));
			expect(document, operation, 415, post(path, token, "text/plain", "{\"upTo\": 2}", Map.of()));
		}
	}

	/** Routing's answers are {@link TestRouting}'s, planned where needed. */
	private void preferences(OpenApiDocument document, String token) {
		String path = "/v1/inbox/preferences";
		String valid = "{\"channels\": {\"sms\": false}}";
		expect(document, "getPreferences", 200, get(path, token, Map.of("Origin", APP)));
		expect(document, "getPreferences", 400, get(path + NOT_CANONICAL, token, Map.of()));
		expect(document, "getPreferences", 401, get(path, null, Map.of()));
		expect(document, "getPreferences", 403, get(path, token, Map.of("Origin", OTHER)));
		expect(document, "getPreferences", 406, get(path, token, Map.of("Accept", "text/csv")));
		routing.answerNext(503, TestRouting.problem(503, "service_unavailable"));
		expect(document, "getPreferences", 503, get(path, token, Map.of()));

		expect(document, "putPreferences", 200, put(path, token, "application/json", valid, Map.of("Origin", APP)));
		routing.answerNext(202, valid);
		expect(document, "putPreferences", 202, put(path, token, "application/json", valid, Map.of()));
		routing.answerNext(400, TestRouting.problem(400, "invalid_request"));
		expect(document, "putPreferences", 400, put(path, token, "application/json", "{\"channels\": 1}", Map.of()));
		expect(document, "putPreferences", 400, put(path, token, "application/json", "{", Map.of()));
		expect(document, "putPreferences", 400, put(path + NOT_CANONICAL, token, "application/json", valid, Map.of()));
		expect(document, "putPreferences", 401, put(path, null, "application/json", valid, Map.of()));
		expect(document, "putPreferences", 403, put(path, token, "application/json", valid, Map.of("Origin", OTHER)));
		expect(document, "putPreferences", 406,
				put(path, token, "application/json", valid, Map.of("Accept", "text/csv")));
		expect(document, "putPreferences", 413,
				put(path, token, "application/json", "{\"x\": \"" + "x".repeat(70 * 1024) + "\"}", Map.of()));
		expect(document, "putPreferences", 415, put(path, token, "text/plain", valid, Map.of()));
		routing.dropNext();
		expect(document, "putPreferences", 503, put(path, token, "application/json", valid, Map.of()));
	}

	/**
	 * The user holds at most one connection: a WebSocket open, a stream is one too many.
	 */
	private void eventStream(OpenApiDocument document) {
		String token = TestTokens.token(TENANT, "u-" + UUID.randomUUID());
		Map<String, String> stream = Map.of("Accept", "text/event-stream");
		expect(document, "openEventStream", 200, RawHttp.sendForHead(this.port, "GET", "/v1/sse?since=0",
				with(stream, "Authorization", "Bearer " + token, "Origin", APP)));
		expect(document, "openEventStream", 400, get("/v1/sse?since=x", token, stream));
		expect(document, "openEventStream", 400, get("/v1/sse" + NOT_CANONICAL, token, stream));
		expect(document, "openEventStream", 401, get("/v1/sse", null, stream));
		expect(document, "openEventStream", 403, get("/v1/sse", token, with(stream, "Origin", OTHER)));
		expect(document, "openEventStream", 406, get("/v1/sse", token, Map.of("Accept", "application/json")));
		String busy = TestTokens.token(TENANT, "u-" + UUID.randomUUID());
		try (TestSocket socket = TestSocket.connect(this.port, busy)) {
			socket.next("hello");
			expect(document, "openEventStream", 429, get("/v1/sse", busy, stream));
		}
	}

	private void webSocket(OpenApiDocument document, String token) {
		Map<String, String> upgrade = with(UPGRADE, "Authorization", "Bearer " + token);
		expect(document, "openWebSocket", 101,
				RawHttp.sendForHead(this.port, "GET", "/v1/ws", with(upgrade, "Origin", APP)));
		expect(document, "openWebSocket", 400, get("/v1/ws", token, Map.of()));
		expect(document, "openWebSocket", 400, RawHttp.send(this.port, "GET", "/v1/ws" + NOT_CANONICAL, upgrade));
		expect(document, "openWebSocket", 401, RawHttp.send(this.port, "GET", "/v1/ws", UPGRADE));
		expect(document, "openWebSocket", 403,
				RawHttp.send(this.port, "GET", "/v1/ws", with(upgrade, "Origin", OTHER)));
		expect(document, "openWebSocket", 406,
				RawHttp.send(this.port, "GET", "/v1/ws", with(upgrade, "Accept", "text/csv")));
	}

	private void browser(OpenApiDocument document) {
		RawHttp.Response client = expect(document, "getBrowserClient", 200,
				get("/herald-client.js", null, Map.of("Origin", APP)));
		expect(document, "getBrowserClient", 304,
				get("/herald-client.js", null, Map.of("If-Modified-Since", client.header("Last-Modified"))));
		expect(document, "getBrowserClient", 403, get("/herald-client.js", null, Map.of("Origin", OTHER)));
		for (String file : List.of("inbox.html", "inbox.js", "inbox.css")) {
			RawHttp.Response demo = expect(document, "getDemoPage", 200, get("/demo/" + file, null, Map.of()));
			expect(document, "getDemoPage", 304,
					get("/demo/" + file, null, Map.of("If-Modified-Since", demo.header("Last-Modified"))));
		}
		expect(document, "getDemoPage", 404, get("/demo/missing.html", null, Map.of()));
	}

	private void preflights(OpenApiDocument document) {
		Map<String, String> preflight = Map.of("Origin", APP, "Access-Control-Request-Method", "POST",
				"Access-Control-Request-Headers", "authorization, content-type");
		Map<String, String> operations = new LinkedHashMap<>();
		operations.put("/v1/inbox", "preflightInbox");
		operations.put("/v1/inbox/unread-count", "preflightUnreadCount");
		operations.put("/v1/inbox/read", "preflightMarkRead");
		operations.put("/v1/inbox/ack", "preflightAcknowledge");
		operations.put("/v1/inbox/preferences", "preflightPreferences");
		operations.put("/v1/sse", "preflightEventStream");
		operations.put("/herald-client.js", "preflightBrowserClient");
		operations.forEach((path, operation) -> {
			RawHttp.Response allowed = expect(document, operation, 200,
					RawHttp.send(this.port, "OPTIONS", path, preflight));
			assertThat(allowed.header("Access-Control-Allow-Origin")).as(path).isEqualTo(APP);
			expect(document, operation, 403,
					RawHttp.send(this.port, "OPTIONS", path, with(preflight, "Origin", OTHER)));
			if (!path.equals("/herald-client.js")) {
				expect(document, operation, 401, RawHttp.send(this.port, "OPTIONS", path, Map.of()));
			}
		});
	}

	private void whileRedisIsDown(OpenApiDocument document, String token) {
		redis.stop();
		try {
			expect(document, "getInbox", 503, get("/v1/inbox", token, Map.of()));
			expect(document, "getUnreadCount", 503, get("/v1/inbox/unread-count", token, Map.of()));
			expect(document, "markRead", 503,
					post("/v1/inbox/read", token, "application/json", "{\"upTo\": 3}", Map.of()));
			expect(document, "acknowledge", 503,
					post("/v1/inbox/ack", token, "application/json", "{\"upTo\": 3}", Map.of()));
			expect(document, "openEventStream", 503, get("/v1/sse", token, Map.of("Accept", "text/event-stream")));
			expect(document, "openWebSocket", 503,
					RawHttp.send(this.port, "GET", "/v1/ws", with(UPGRADE, "Authorization", "Bearer " + token)));
		}
		finally {
			redis.start();
		}
	}

	private static RawHttp.Response expect(OpenApiDocument document, String operationId, int status,
			RawHttp.Response response) {
		document.expect(operationId, status, response);
		return response;
	}

	private RawHttp.Response get(String target, @Nullable String token, Map<String, String> headers) {
		return RawHttp.send(this.port, "GET", target,
				(token != null) ? with(headers, "Authorization", "Bearer " + token) : headers);
	}

	private RawHttp.Response post(String target, @Nullable String token, String contentType, String body,
			Map<String, String> headers) {
		return send("POST", target, token, contentType, body, headers);
	}

	private RawHttp.Response put(String target, @Nullable String token, String contentType, String body,
			Map<String, String> headers) {
		return send("PUT", target, token, contentType, body, headers);
	}

	private RawHttp.Response send(String method, String target, @Nullable String token, String contentType, String body,
			Map<String, String> headers) {
		Map<String, String> all = with(headers, "Content-Type", contentType);
		return RawHttp.send(this.port, method, target,
				(token != null) ? with(all, "Authorization", "Bearer " + token) : all,
				body.getBytes(StandardCharsets.UTF_8));
	}

	private static Map<String, String> with(Map<String, String> headers, String... more) {
		Map<String, String> all = new LinkedHashMap<>(headers);
		for (int i = 0; i < more.length; i += 2) {
			all.put(more[i], more[i + 1]);
		}
		return all;
	}

	private OpenApiDocument document() {
		return OpenApiDocument.served(this.port);
	}

}
