package io.herald.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.herald.systemtests.RawHttp.Request;
import io.herald.systemtests.RawHttp.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static io.herald.systemtests.HostileStack.KEY_A;
import static io.herald.systemtests.HostileStack.SECRET_A;
import static io.herald.systemtests.HostileStack.SECRET_B;
import static io.herald.systemtests.HostileStack.TENANT_A;
import static io.herald.systemtests.HostileStack.TENANT_B;
import static io.herald.systemtests.HostileStack.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public endpoint of ingestion, routing and the gateway (REST, SSE and WebSocket)
 * against malformed, oversized, deeply nested, wrongly encoded, unauthenticated and
 * path-trick requests, sent byte for byte to the real services: each answer is a 4xx
 * problem detail (or the documented error frame or close code), never a 5xx; every
 * service stays ready; and nothing is logged at ERROR level or with a stack trace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(TwoTenantStackTests.ORDER)
class HostileInputIntegrationTests extends TwoTenantStackTests {

	/** Over ingestion's and routing's 64 KiB limit for one request body. */
	private static final int OVER_64_KIB = 70 * 1024;

	/** Over the gateway's 4 KiB limit for a request body. */
	private static final int OVER_4_KIB = 5 * 1024;

	/** Deeper than any parser limit a service may set. */
	private static final int TOO_DEEP = 600;

	/**
	 * Just under Jackson's default nesting limit (500): parses, but is far deeper than
	 * any payload needs.
	 */
	private static final int JUST_PARSEABLE_DEPTH = 498;

	private static final String USER = "hostile-user";

	private static final String WEBHOOKS = "/v1/webhooks";

	private static final String EVENT = """
			{"type": "order.shipped", "recipients": {"users": ["hostile-user"]}, "channels": ["inapp"],
			 "content": {"title": "Shipped", "body": "On its way"}}""";

	@Order(1)
	@ParameterizedTest(name = "{0}")
	@MethodSource("ingestionCases")
	void ingestionAnswersHostileRequestsWithProblemDetails(Case hostile) {
		hostile.check();
	}

	@Order(2)
	@ParameterizedTest(name = "{0}")
	@MethodSource("routingCases")
	void userApiAnswersHostileRequestsWithProblemDetails(Case hostile) {
		hostile.check();
	}

	@Order(3)
	@ParameterizedTest(name = "{0}")
	@MethodSource("gatewayCases")
	void inboxAndSseAnswerHostileRequestsWithProblemDetails(Case hostile) {
		hostile.check();
	}

	@Order(4)
	@ParameterizedTest(name = "{0}")
	@MethodSource("pathTricks")
	void nonCanonicalPathsAreRejectedBeforeAuthentication(Case hostile) {
		hostile.check();
	}

	@Order(5)
	@ParameterizedTest(name = "{0}")
	@MethodSource("upgradeCases")
	void webSocketUpgradeWithABadTokenOrPathIsRefused(Case hostile) {
		hostile.check();
	}

	@Order(6)
	@Test
	void batchEntryOverOneMegabyteIsRejectedPermanently() {
		String body = "x".repeat(1_100_000);
		String event = """
				{"type": "order.shipped", "recipients": {"users": ["hostile-user"]},
				 "content": {"title": "Big", "body": "%s"}}""".formatted(body);
		Response response = send("ingestion",
				Request.of("POST", "/v1/events:batch").apiKey(KEY_A).json("{\"events\": [" + event + "]}"));
		assertThat(response.status()).as(response.describe()).isLessThan(500);
		if (response.status() >= 400) {
			assertProblem(response);
			return;
		}
		JsonNode result = HostileStack.JSON.readTree(response.body()).path("results").path(0);
		assertThat(result.path("status").asString()).as(response.describe()).isEqualTo("rejected");
		assertThat(result.path("problem").path("status").asInt()).as(response.describe()).isBetween(400, 499);
	}

	@Order(7)
	@Test
	void webSocketAnswersBadFramesWithErrorFramesAndStaysOpen() throws Exception {
		try (Socket socket = Socket.open(gatewayPort(), HostileTokens.valid(TENANT_A, SECRET_A, USER))) {
			assertThat(socket.next()).contains("\"type\":\"hello\"");
			for (String frame : List.of("not json", "{\"type\":", "[1,2,3]", "null", "{\"type\":\"nope\"}")) {
				socket.ws().sendText(frame, true).get(10, TimeUnit.SECONDS);
				assertThat(socket.next()).as(frame).contains("\"type\":\"error\"").contains("\"code\":\"bad_frame\"");
			}
			socket.ws().sendBinary(ByteBuffer.wrap(new byte[] { 0, 1, 2 }), true).get(10, TimeUnit.SECONDS);
			assertThat(socket.next()).as("binary").contains("\"type\":\"error\"");
			socket.ws().sendText("{\"type\":\"ping\"}", true).get(10, TimeUnit.SECONDS);
			assertThat(socket.next()).contains("\"type\":\"pong\"");
			assertThat(socket.closed()).isNotDone();
		}
		try (Socket socket = Socket.open(gatewayPort(), HostileTokens.valid(TENANT_A, SECRET_A, USER))) {
			assertThat(socket.next()).contains("\"type\":\"hello\"");
			List<String> bad = List.of("{\"type\":\"resume\",\"since\":\"yesterday\"}",
					"{\"type\":\"ack\",\"upTo\":1e999999}", "{\"type\":\"read\",\"upTo\":-1}",
					"{\"type\":\"ack\",\"upTo\":" + "9".repeat(400) + "}", nested(TOO_DEEP));
			for (String frame : bad) {
				socket.ws().sendText(frame, true).get(10, TimeUnit.SECONDS);
				assertThat(socket.next()).as(RawHttp.abbreviate(frame)).contains("\"type\":\"error\"");
			}
			assertThat(socket.closed()).isNotDone();
		}
	}

	@Order(8)
	@Test
	void webSocketClosesWith4400AfterTooManyBadFrames() throws Exception {
		try (Socket socket = Socket.open(gatewayPort(), HostileTokens.valid(TENANT_A, SECRET_A, USER))) {
			assertThat(socket.next()).contains("\"type\":\"hello\"");
			for (int i = 0; i < 30 && !socket.closed().isDone(); i++) {
				socket.ws().sendText("garbage " + i, true).exceptionally((ex) -> null).get(10, TimeUnit.SECONDS);
			}
			assertThat(socket.closed().get(30, TimeUnit.SECONDS)).isEqualTo(4400);
		}
	}

	@Order(9)
	@Test
	void webSocketClosesWith1009OnAFrameOverTheLimit() throws Exception {
		try (Socket socket = Socket.open(gatewayPort(), HostileTokens.valid(TENANT_A, SECRET_A, USER))) {
			assertThat(socket.next()).contains("\"type\":\"hello\"");
			// Twice the gateway's limit of 4 KB, and small enough for the client to
			// write it whole at once: a client still writing a frame when the gateway
			// closes may see the connection reset before it reads the close frame.
			socket.ws()
				.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(8 * 1024) + "\"}", true)
				.exceptionally((ex) -> null)
				.get(10, TimeUnit.SECONDS);
			assertThat(socket.closed().get(30, TimeUnit.SECONDS)).isEqualTo(1009);
		}
	}

	@Order(10)
	@Test
	void tokenExpiredWithinTheClockSkewIsNotUpgradedOnlyToBeClosed() throws Exception {
		String token = HostileTokens.expired(TENANT_A, SECRET_A, USER, Duration.ofSeconds(10));
		Socket socket;
		try {
			socket = Socket.open(gatewayPort(), token);
		}
		catch (WebSocketHandshakeException refused) {
			assertThat(refused.getResponse().statusCode()).isEqualTo(401);
			return;
		}
		try (socket) {
			assertThat(socket.next()).contains("\"type\":\"hello\"");
			socket.ws().sendText("{\"type\":\"ping\"}", true).get(10, TimeUnit.SECONDS);
			assertThat(socket.next()).contains("\"type\":\"pong\"");
			assertThat(socket.closed()).as("closed right after the upgrade").isNotDone();
		}
	}

	@Order(Integer.MAX_VALUE)
	@Test
	void nothingIsLoggedAtErrorLevel() {
		stack.assertNothingLoggedAtError();
	}

	static Stream<Named<Case>> ingestionCases() {
		String events = "/v1/events";
		return Stream.of(named("malformed JSON", "ingestion", post(events).apiKey(KEY_A).json("{\"type\": "), 400),
				named("JSON of the wrong shape", "ingestion", post(events).apiKey(KEY_A).json("[1, 2, 3]"), 400),
				named("empty body", "ingestion", post(events).apiKey(KEY_A).header("Content-Type", "application/json"),
						400),
				named("text/plain body", "ingestion",
						post(events).apiKey(KEY_A).header("Content-Type", "text/plain").body(utf8(EVENT)), 415),
				named("no content type", "ingestion", post(events).apiKey(KEY_A).body(utf8(EVENT)), 415),
				named("oversized body with Content-Length", "ingestion",
						post(events).apiKey(KEY_A).json(eventWithBody(OVER_64_KIB)), 413),
				named("oversized chunked body", "ingestion",
						post(events).apiKey(KEY_A).json(eventWithBody(OVER_64_KIB)).inChunks(), 413),
				named("huge declared length, body withheld", "ingestion",
						post(events).apiKey(KEY_A)
							.header("Content-Type", "application/json")
							.header("Content-Length", "1000000000")
							.withholdBody(),
						413),
				named("600 levels deep data", "ingestion",
						post(events).apiKey(KEY_A).json(eventWithData(nested(TOO_DEEP))), 400),
				named("600 levels deep array body", "ingestion",
						post(events).apiKey(KEY_A).json("[".repeat(TOO_DEEP) + "]".repeat(TOO_DEEP)), 400),
				named("498 levels deep data", "ingestion",
						post(events).apiKey(KEY_A).json(eventWithData(nested(JUST_PARSEABLE_DEPTH))), 400),
				named("invalid UTF-8 bytes", "ingestion",
						post(events).apiKey(KEY_A)
							.header("Content-Type", "application/json")
							.body(withBytes(EVENT, "On its way",
									new byte[] { 'x', (byte) 0xC3, (byte) 0x28, (byte) 0xFF })),
						400),
				named("raw NUL byte in a string", "ingestion",
						post(events).apiKey(KEY_A)
							.header("Content-Type", "application/json")
							.body(withBytes(EVENT, "On its way", new byte[] { 'a', 0, 'b' })),
						400),
				named("NUL in the type", "ingestion",
						post(events).apiKey(KEY_A).json(EVENT.replace("order.shipped", "order\\u0000shipped")), 400),
				named("lone surrogate in the title", "ingestion",
						post(events).apiKey(KEY_A).json(EVENT.replace("Shipped", "Ship\\ud800ped")), 400),
				named("2000-digit number in data", "ingestion",
						post(events).apiKey(KEY_A).json(eventWithData("{\"n\": " + "9".repeat(2000) + "}")), 400),
				named("number beyond double in data", "ingestion",
						post(events).apiKey(KEY_A).json(eventWithData("{\"n\": 1e999999999}")), 400),
				named("unknown template", "ingestion",
						post(events).apiKey(KEY_A)
							.json("{\"type\": \"order.shipped\", \"recipients\": {\"users\": [\"u-1\"]}, "
									+ "\"template\": \"no-such-template\"}"),
						400),
				named("no API key", "ingestion", post(events).json(EVENT), 401),
				named("unknown API key", "ingestion", post(events).apiKey("nobody-key").json(EVENT), 401),
				named("unknown X-Api-Key", "ingestion", post(events).header("X-Api-Key", "nobody-key").json(EVENT),
						401),
				named("empty bearer", "ingestion", post(events).header("Authorization", "Bearer ").json(EVENT), 401),
				named("batch: malformed JSON", "ingestion",
						post(events + ":batch").apiKey(KEY_A).json("{\"events\": ["), 400),
				named("batch: events not an array", "ingestion",
						post(events + ":batch").apiKey(KEY_A).json("{\"events\": {\"a\": 1}}"), 400),
				named("batch: 501 events", "ingestion",
						post(events + ":batch").apiKey(KEY_A)
							.json("{\"events\": [" + String.join(",", java.util.Collections.nCopies(501, "{}")) + "]}"),
						400),
				named("batch: 600 levels deep", "ingestion",
						post(events + ":batch").apiKey(KEY_A)
							.json("{\"events\": [" + eventWithData(nested(TOO_DEEP)) + "]}"),
						400),
				named("batch: over 4 MiB, chunked", "ingestion",
						post(events + ":batch").apiKey(KEY_A)
							.json("{\"events\": [" + eventWithBody(4 * 1024 * 1024 + 1024) + "]}")
							.inChunks(),
						413),
				named("batch: no API key", "ingestion", post(events + ":batch").json("{\"events\": [" + EVENT + "]}"),
						401),
				named("status: unknown event", "ingestion", get(events + "/no-such-event").apiKey(KEY_A), 404),
				named("status: encoded NUL in the id", "ingestion", get(events + "/a%00b").apiKey(KEY_A)),
				named("status: encoded slash in the id", "ingestion",
						get(events + "/a%2F..%2F..%2Factuator").apiKey(KEY_A)),
				named("status: 4000-character id", "ingestion", get(events + "/" + "a".repeat(4000)).apiKey(KEY_A)),
				named("status: no API key", "ingestion", get(events + "/no-such-event"), 401),
				named("events list: no time range", "ingestion", get(events).apiKey(KEY_A), 400),
				named("events list: forged cursor", "ingestion",
						get(events + "?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&cursor=" + "A".repeat(3000))
							.apiKey(KEY_A),
						400),
				named("user deliveries: no API key", "ingestion", get("/v1/users/" + USER + "/deliveries"), 401),
				named("wrong method", "ingestion", get(events + ":batch").apiKey(KEY_A), 405),
				named("unknown path", "ingestion", get("/v1/nothing-here").apiKey(KEY_A), 404),
				named("webhook: malformed JSON", "ingestion", post(WEBHOOKS).apiKey(KEY_A).json("{\"url\": "), 400),
				named("webhook: JSON of the wrong shape", "ingestion", post(WEBHOOKS).apiKey(KEY_A).json("[1]"), 400),
				named("webhook: oversized body", "ingestion",
						post(WEBHOOKS).apiKey(KEY_A).json(webhook("https://example.com/" + "a".repeat(9000))), 413),
				named("webhook: a file URL", "ingestion",
						post(WEBHOOKS).apiKey(KEY_A).json(webhook("file:///etc/passwd")), 400),
				named("webhook: credentials in the URL", "ingestion",
						post(WEBHOOKS).apiKey(KEY_A).json(webhook("https://user:secret@example.com/hook")), 400),
				named("webhook: a state that does not exist", "ingestion",
						post(WEBHOOKS).apiKey(KEY_A)
							.json("{\"url\": \"https://example.com/hook\", \"states\": [\"opened\"]}"),
						400),
				named("webhook: 600 levels deep", "ingestion",
						post(WEBHOOKS).apiKey(KEY_A).json("{\"url\": " + nested(TOO_DEEP) + "}"), 400),
				named("webhook: no API key", "ingestion", post(WEBHOOKS).json(webhook("https://example.com/hook")),
						401),
				named("webhook: unknown endpoint", "ingestion", get(WEBHOOKS + "/no-such-endpoint").apiKey(KEY_A), 404),
				named("webhook: delete an unknown endpoint", "ingestion",
						delete(WEBHOOKS + "/no-such-endpoint").apiKey(KEY_A), 404),
				named("webhook: encoded slash in the id", "ingestion",
						get(WEBHOOKS + "/a%2F..%2F..%2Factuator").apiKey(KEY_A)),
				named("webhook: list without an API key", "ingestion", get(WEBHOOKS), 401));
	}

	private static String webhook(String url) {
		return "{\"url\": \"" + url + "\", \"states\": [\"sent\"]}";
	}

	static Stream<Named<Case>> routingCases() {
		String user = "/v1/users/" + USER;
		String profile = "{\"email\": \"hostile@example.com\", \"locale\": \"de-DE\"}";
		return Stream
			.of(named("profile: malformed JSON", "routing", put(user).apiKey(KEY_A).json("{\"email\": "), 400),
					named("profile: JSON of the wrong shape", "routing", put(user).apiKey(KEY_A).json("[\"a\"]"), 400),
					named("profile: text/plain", "routing",
							put(user).apiKey(KEY_A).header("Content-Type", "text/plain").body(utf8(profile)), 415),
					named("profile: no content type", "routing", put(user).apiKey(KEY_A).body(utf8(profile)), 415),
					named("profile: oversized with Content-Length", "routing",
							put(user).apiKey(KEY_A)
								.json("{\"email\": \"" + "a".repeat(OVER_64_KIB) + "@example.com\"}"),
							413),
					named("profile: oversized chunked", "routing",
							put(user).apiKey(KEY_A)
								.json("{\"email\": \"" + "a".repeat(OVER_64_KIB) + "@example.com\"}")
								.inChunks(),
							413),
					named("profile: 600 levels deep", "routing",
							put(user).apiKey(KEY_A).json("{\"email\": " + nested(TOO_DEEP) + "}"), 400),
					named("profile: invalid UTF-8 bytes", "routing",
							put(user).apiKey(KEY_A)
								.header("Content-Type", "application/json")
								.body(withBytes(profile, "hostile@", new byte[] { (byte) 0xC3, (byte) 0x28 })),
							400),
					named("profile: raw NUL byte", "routing",
							put(user).apiKey(KEY_A)
								.header("Content-Type", "application/json")
								.body(withBytes(profile, "hostile@", new byte[] { 0 })),
							400),
					named("profile: NUL in the email", "routing",
							put(user).apiKey(KEY_A).json(profile.replace("hostile@", "host\\u0000ile@")), 400),
					named("profile: lone surrogate in the email", "routing",
							put(user).apiKey(KEY_A).json(profile.replace("hostile@", "host\\udc00ile@")), 400),
					named("profile: huge number as the locale", "routing",
							put(user).apiKey(KEY_A).json("{\"locale\": 1e999999999}"), 400),
					named("profile: 2000-digit number as the timezone", "routing",
							put(user).apiKey(KEY_A).json("{\"timezone\": " + "9".repeat(2000) + "}"), 400),
					named("profile: no API key", "routing", put(user).json(profile), 401),
					named("profile: unknown API key", "routing", put(user).apiKey("nobody-key").json(profile), 401),
					named("profile: key separator in the user id", "routing",
							put("/v1/users/a%7Cb").apiKey(KEY_A).json(profile), 400),
					named("profile: brace in the user id", "routing",
							put("/v1/users/a%7Bb%7D").apiKey(KEY_A).json(profile), 400),
					named("profile: encoded NUL in the user id", "routing", get("/v1/users/a%00b").apiKey(KEY_A)),
					named("profile: 200-character user id", "routing",
							put("/v1/users/" + "u".repeat(200)).apiKey(KEY_A).json(profile), 400),
					named("profile: wrong method", "routing", post(user).apiKey(KEY_A).json(profile), 405),
					named("preferences: malformed JSON", "routing", put(user + "/preferences").apiKey(KEY_A).json("{"),
							400),
					named("preferences: 600 levels deep", "routing",
							put(user + "/preferences").apiKey(KEY_A).json("{\"categories\": " + nested(TOO_DEEP) + "}"),
							400),
					named("preferences: channel flag of the wrong type", "routing",
							put(user + "/preferences").apiKey(KEY_A).json("{\"channels\": {\"email\": \"yes\"}}"), 400),
					named("preferences: impossible quiet hours", "routing",
							put(user + "/preferences").apiKey(KEY_A)
								.json("{\"quietHours\": {\"start\": \"25:99\", \"end\": \"x\"}}"),
							400),
					named("preferences: no API key", "routing", put(user + "/preferences").json("{}"), 401),
					named("devices: unknown platform", "routing",
							post(user + "/devices").apiKey(KEY_A).json("{\"platform\": \"symbian\", \"token\": \"t\"}"),
							400),
					named("devices: token of the wrong type", "routing",
							post(user + "/devices").apiKey(KEY_A)
								.json("{\"platform\": \"ios\", \"token\": {\"a\": 1}}"),
							400),
					named("devices: oversized token", "routing",
							post(user + "/devices").apiKey(KEY_A)
								.json("{\"platform\": \"ios\", \"token\": \"" + "a".repeat(OVER_64_KIB) + "\"}"),
							413),
					named("devices: 600 levels deep", "routing",
							post(user + "/devices").apiKey(KEY_A).json(nested(TOO_DEEP)), 400),
					named("devices: no API key", "routing", get(user + "/devices"), 401),
					named("devices: encoded path in the token", "routing",
							delete(user + "/devices/..%2F..%2F..%2Finternal").apiKey(KEY_A)),
					named("topics: upper case and space in the topic", "routing",
							put("/v1/topics/Bad%20Topic/subscribers/" + USER).apiKey(KEY_A), 400),
					named("topics: 200-character topic", "routing",
							put("/v1/topics/" + "t".repeat(200) + "/subscribers/" + USER).apiKey(KEY_A), 400),
					named("topics: key separator in the topic", "routing",
							put("/v1/topics/a%7Cb/subscribers/" + USER).apiKey(KEY_A), 400),
					named("topics: no API key", "routing", put("/v1/topics/news/subscribers/" + USER), 401),
					named("topics: unknown API key", "routing",
							get("/v1/topics/news/subscribers/" + USER).apiKey("nobody-key"), 401),
					named("internal user state on the API port", "routing", get("/internal/users/demo/" + USER), 401),
					named("internal user state on the API port with an API key", "routing",
							get("/internal/users/demo/" + USER).apiKey(KEY_A), 404),
					named("actuator env on the API port", "routing", get("/actuator/env")),
					named("actuator heapdump on the API port", "routing", get("/actuator/heapdump")));
	}

	static Stream<Named<Case>> gatewayCases() {
		String token = HostileTokens.valid(TENANT_A, SECRET_A, USER);
		return Stream.of(named("inbox: no token", "gateway", get("/v1/inbox"), 401),
				named("inbox: garbage token", "gateway", get("/v1/inbox").apiKey("not.a.token"), 401),
				named("inbox: API key instead of a token", "gateway", get("/v1/inbox").apiKey(KEY_A), 401),
				named("inbox: unsigned token", "gateway",
						get("/v1/inbox").apiKey(HostileTokens.unsigned(TENANT_A, USER)), 401),
				named("inbox: HS512 token", "gateway",
						get("/v1/inbox").apiKey(HostileTokens.otherAlgorithm(TENANT_A, SECRET_A, USER)), 401),
				named("inbox: expired token", "gateway",
						get("/v1/inbox").apiKey(HostileTokens.expired(TENANT_A, SECRET_A, USER, Duration.ofHours(1))),
						401),
				named("inbox: token of an unknown tenant", "gateway",
						get("/v1/inbox").apiKey(HostileTokens.valid("nobody", SECRET_A, USER)), 401),
				named("inbox: signed with B's secret, claiming A", "gateway",
						get("/v1/inbox").apiKey(HostileTokens.valid(TENANT_A, SECRET_B, USER)), 401),
				named("inbox: signed with A's secret, claiming B", "gateway",
						get("/v1/inbox").apiKey(HostileTokens.valid(TENANT_B, SECRET_A, USER)), 401),
				named("inbox: key separator in the subject", "gateway",
						get("/v1/inbox").apiKey(HostileTokens.valid(TENANT_A, SECRET_A, "a|b")), 401),
				named("inbox: brace in the subject", "gateway",
						get("/v1/inbox").apiKey(HostileTokens.valid(TENANT_A, SECRET_A, "a}b")), 401),
				named("inbox: token in the query of a REST call", "gateway", get("/v1/inbox?access_token=garbage"),
						401),
				named("inbox: limit not a number", "gateway", get("/v1/inbox?limit=abc").apiKey(token), 400),
				named("inbox: limit zero", "gateway", get("/v1/inbox?limit=0").apiKey(token), 400),
				named("inbox: limit beyond long", "gateway", get("/v1/inbox?limit=" + "9".repeat(30)).apiKey(token),
						400),
				named("inbox: negative before", "gateway", get("/v1/inbox?before=-5").apiKey(token), 400),
				named("inbox: NUL in before", "gateway", get("/v1/inbox?before=1%00").apiKey(token), 400),
				named("unread count: no token", "gateway", get("/v1/inbox/unread-count"), 401),
				named("read: malformed JSON", "gateway", post("/v1/inbox/read").apiKey(token).json("{\"upTo\":"), 400),
				named("read: empty body", "gateway",
						post("/v1/inbox/read").apiKey(token).header("Content-Type", "application/json"), 400),
				named("read: text/plain", "gateway",
						post("/v1/inbox/read").apiKey(token)
							.header("Content-Type", "text/plain")
							.body(utf8("{\"upTo\": 1}")),
						415),
				named("read: oversized with Content-Length", "gateway",
						post("/v1/inbox/read").apiKey(token)
							.json("{\"upTo\": 1, \"pad\": \"" + "x".repeat(OVER_4_KIB) + "\"}"),
						413),
				named("read: oversized chunked", "gateway",
						post("/v1/inbox/read").apiKey(token)
							.json("{\"upTo\": 1, \"pad\": \"" + "x".repeat(OVER_4_KIB) + "\"}")
							.inChunks(),
						413),
				named("read: 600 levels deep", "gateway", post("/v1/inbox/read").apiKey(token).json(nested(TOO_DEEP)),
						400),
				named("read: invalid UTF-8 bytes", "gateway",
						post("/v1/inbox/read").apiKey(token)
							.header("Content-Type", "application/json")
							.body(withBytes("{\"upTo\": 1, \"x\": \"ab\"}", "ab",
									new byte[] { (byte) 0xFF, (byte) 0xFE })),
						400),
				named("read: number beyond double", "gateway",
						post("/v1/inbox/read").apiKey(token).json("{\"upTo\": 1e999999999}"), 400),
				named("read: number beyond long", "gateway",
						post("/v1/inbox/read").apiKey(token).json("{\"upTo\": " + "9".repeat(40) + "}"), 400),
				named("read: seq as a string", "gateway",
						post("/v1/inbox/read").apiKey(token).json("{\"upTo\": \"5\"}"), 400),
				named("read: negative seq", "gateway", post("/v1/inbox/read").apiKey(token).json("{\"upTo\": -1}"),
						400),
				named("read: no token", "gateway", post("/v1/inbox/read").json("{\"upTo\": 1}"), 401),
				named("ack: malformed JSON", "gateway", post("/v1/inbox/ack").apiKey(token).json("]"), 400),
				named("ack: 600 levels deep", "gateway", post("/v1/inbox/ack").apiKey(token).json(nested(TOO_DEEP)),
						400),
				named("ack: no token", "gateway", post("/v1/inbox/ack").json("{\"upTo\": 1}"), 401),
				named("sse: no token", "gateway", get("/v1/sse").header("Accept", "text/event-stream"), 401),
				named("sse: B-signed token claiming A", "gateway",
						get("/v1/sse").header("Accept", "text/event-stream")
							.apiKey(HostileTokens.valid(TENANT_A, SECRET_B, USER)),
						401),
				named("sse: since not a number", "gateway",
						get("/v1/sse?since=abc").header("Accept", "text/event-stream").apiKey(token), 400),
				named("sse: negative Last-Event-ID", "gateway",
						get("/v1/sse").header("Accept", "text/event-stream")
							.header("Last-Event-ID", "-3")
							.apiKey(token),
						400));
	}

	static Stream<Named<Case>> pathTricks() {
		List<Named<Case>> cases = new ArrayList<>();
		List<String> tricks = List.of("/v1;x=y/%s", "/%%761/%s", "/v1//%s", "//v1/%s", "/v1/./%s", "/v1/x/../%s",
				"/v1%%2F%s", "/v1/%s.", "/v1/%s;x=y", "/%%2e/v1/%s");
		for (String trick : tricks) {
			cases.add(named("ingestion " + trick.formatted("events"), "ingestion",
					post(trick.formatted("events")).json(EVENT)));
			cases.add(named("ingestion over the body limit " + trick.formatted("events"), "ingestion",
					post(trick.formatted("events")).apiKey(KEY_A).json(eventWithBody(OVER_64_KIB))));
			cases.add(named("routing " + trick.formatted("users/" + USER), "routing",
					get(trick.formatted("users/" + USER))));
			cases.add(named("gateway " + trick.formatted("inbox"), "gateway", get(trick.formatted("inbox"))));
		}
		return cases.stream();
	}

	static Stream<Named<Case>> upgradeCases() {
		List<Named<Case>> cases = new ArrayList<>();
		cases.add(named("no token", "gateway", upgrade("/v1/ws"), 401));
		cases.add(named("garbage token", "gateway", upgrade("/v1/ws?access_token=garbage"), 401));
		cases.add(named("unsigned token", "gateway",
				upgrade("/v1/ws?access_token=" + HostileTokens.unsigned(TENANT_A, USER)), 401));
		cases.add(named("expired token", "gateway",
				upgrade("/v1/ws?access_token=" + HostileTokens.expired(TENANT_A, SECRET_A, USER, Duration.ofHours(1))),
				401));
		cases.add(named("signed with B's secret, claiming A", "gateway",
				upgrade("/v1/ws?access_token=" + HostileTokens.valid(TENANT_A, SECRET_B, USER)), 401));
		cases.add(named("bearer header with a garbage token", "gateway",
				upgrade("/v1/ws").header("Authorization", "Bearer garbage"), 401));
		for (String trick : List.of("/v1;x=y/ws", "/%761/ws", "/v1//ws", "/v1/./ws", "/v1/ws;x=y", "/v1/ws.")) {
			cases.add(named("path " + trick + " without a token", "gateway", upgrade(trick)));
		}
		return cases.stream();
	}

	private static Named<Case> named(String name, String service, Request request, int... expected) {
		return Named.of(name, new Case(service, request, expected));
	}

	private static Request post(String target) {
		return Request.of("POST", target);
	}

	private static Request put(String target) {
		return Request.of("PUT", target);
	}

	private static Request get(String target) {
		return Request.of("GET", target);
	}

	private static Request delete(String target) {
		return Request.of("DELETE", target);
	}

	private static Request upgrade(String target) {
		return get(target).header("Upgrade", "websocket")
			.header("Connection", "Upgrade")
			.header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
			.header("Sec-WebSocket-Version", "13");
	}

	/** {@code {"a":{"a":...1...}}}, {@code depth} objects deep. */
	static String nested(int depth) {
		return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
	}

	private static String eventWithData(String data) {
		return EVENT.substring(0, EVENT.lastIndexOf('}')) + ", \"data\": " + data + "}";
	}

	private static String eventWithBody(int length) {
		return EVENT.replace("On its way", "x".repeat(length));
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** The JSON text with {@code bytes} inserted right after the first {@code marker}. */
	private static byte[] withBytes(String json, String marker, byte[] bytes) {
		int at = json.indexOf(marker) + marker.length();
		byte[] head = utf8(json.substring(0, at));
		byte[] tail = utf8(json.substring(at));
		byte[] all = new byte[head.length + bytes.length + tail.length];
		System.arraycopy(head, 0, all, 0, head.length);
		System.arraycopy(bytes, 0, all, head.length, bytes.length);
		System.arraycopy(tail, 0, all, head.length + bytes.length, tail.length);
		return all;
	}

	private static int gatewayPort() {
		return stack.service("gateway").port();
	}

	static Response send(String service, Request request) {
		return RawHttp.send(stack.service(service).port(), request);
	}

	/**
	 * One hostile request to one service, and the statuses its answer may have (any 4xx
	 * when none).
	 */
	record Case(String service, Request request, int... expected) {

		void check() {
			assertProblem(send(this.service, this.request), this.expected);
		}

	}

	/**
	 * A WebSocket of a user of the gateway, its text frames in a queue and its close
	 * code.
	 */
	record Socket(WebSocket ws, BlockingQueue<String> frames,
			CompletableFuture<Integer> closed) implements AutoCloseable {

		static Socket open(int port, String token) throws Exception {
			BlockingQueue<String> frames = new LinkedBlockingQueue<>();
			CompletableFuture<Integer> closed = new CompletableFuture<>();
			HttpClient http = HttpClient.newHttpClient();
			URI uri = URI.create("ws://127.0.0.1:" + port + "/v1/ws?access_token=" + token);
			try {
				WebSocket ws = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {

					private final StringBuilder text = new StringBuilder();

					@Override
					public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
						this.text.append(data);
						if (last) {
							frames.add(this.text.toString());
							this.text.setLength(0);
						}
						socket.request(1);
						return null;
					}

					@Override
					public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
						closed.complete(statusCode);
						return null;
					}

					@Override
					public void onError(WebSocket socket, Throwable error) {
						closed.complete(-1);
					}

				}).join();
				return new Socket(ws, frames, closed);
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
					throw handshake;
				}
				throw ex;
			}
		}

		/** The next text frame; fails if none comes within 20 s. */
		String next() throws InterruptedException {
			String frame = this.frames.poll(20, TimeUnit.SECONDS);
			assertThat(frame).as("a frame within 20 s (closed: %s)", this.closed.getNow(null)).isNotNull();
			return frame;
		}

		@Override
		public void close() {
			this.ws.abort();
		}

	}

}
