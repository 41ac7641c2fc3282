package io.herald.gateway.session;

import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.gateway.AsyncApiDocument;
import io.herald.gateway.OwnRedisGatewayTest;
import io.herald.gateway.TestHttp;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import io.herald.gateway.sse.TestEventStream;
import io.herald.infra.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real sessions against the AsyncAPI document ({@code /v1/asyncapi.json}): every frame a
 * real gateway sends over WebSocket and SSE, of every type, is a documented message and
 * valid against its schema, SSE events carry the seq as {@code id}, and every close code
 * a real session ends with is documented. The gateway runs on a Redis of its own, which
 * the test stops for the {@code unavailable} error frame.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.jwt.tenants[0].tenant=" + ProtocolDocumentIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET,
				"herald.gateway.session.max-connections-per-user=2", "herald.gateway.session.max-bad-frames=1",
				"herald.gateway.jwt.clock-skew=1s" })
@DirtiesContext
class ProtocolDocumentIntegrationTests extends OwnRedisGatewayTest {

	static final String TENANT = "t-protocol";

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final AsyncApiDocument document = AsyncApiDocument.load();

	@Test
	void theDocumentIsServedWithoutATokenAsYamlAndJson() {
		RawHttp.Response json = RawHttp.send(this.port, "GET", "/v1/asyncapi.json", Map.of());
		assertThat(json.status()).isEqualTo(200);
		assertThat(json.header("Content-Type")).startsWith("application/json");
		assertThat(AsyncApiDocument.parse(json.body()).json()).isEqualTo(this.document.json());
		assertThat(this.document.json().get("asyncapi").stringValue()).isEqualTo("3.0.0");
		RawHttp.Response yaml = RawHttp.send(this.port, "GET", "/v1/asyncapi.yaml", Map.of());
		assertThat(yaml.status()).isEqualTo(200);
		assertThat(yaml.header("Content-Type")).startsWith("application/yaml");
		assertThat(yaml.body()).startsWith("asyncapi: 3.0.0");
	}

	@Test
	void everyFrameOfARealWebSocketSessionIsADocumentedMessage() {
		String user = newUser();
		lane.deliver(TENANT, user, 1, 3);
		awaitLastSeq(user, 3);
		List<JsonNode> received = new ArrayList<>();
		try (TestSocket socket = TestSocket.connect(this.port, TestTokens.token(TENANT, user))) {
			received.add(socket.next("hello"));
			received.addAll(send(socket, "{\"type\":\"resume\",\"since\":0}", "resumed"));
			lane.deliver(TENANT, user, 4, 4);
			received.add(socket.next("notification"));
			lane.retract(TENANT, "evt-" + user + "-4", user);
			received.addAll(socket.until((frame) -> frame.get("type").stringValue().equals("retracted")));
			received.addAll(send(socket, "{\"type\":\"ping\"}", "pong"));
			received.addAll(send(socket, "{\"type\":\"read\",\"upTo\":4}", "unread"));
			received.addAll(send(socket, "{\"type\":\"read\",\"upTo\":1}", "unread"));
			socket.send("{\"type\":\"ack\",\"upTo\":4}");
			received.addAll(send(socket, "{\"type\":\"resume\",\"since\":999}", "resumed"));
			UserCommand erase = new UserCommand.EraseUser(UserCommand.SCHEMA_VERSION, TENANT, user, Instant.now());
			lane.send(Topics.USER_COMMANDS.name(), erase.key(), Topics.USER_COMMANDS.codec().encode(erase));
			received.add(socket.next("reset"));
			received.addAll(send(socket, "{\"type\":\"subscribe\"}", "error"));
			redis.stop();
			try {
				received.addAll(send(socket, "{\"type\":\"read\",\"upTo\":1}", "error"));
			}
			finally {
				redis.start();
			}
		}
		List<String> problems = new ArrayList<>();
		received.forEach((frame) -> problems.addAll(this.document.checkFrame("sendServerFrames", frame)));
		assertThat(problems).isEmpty();
		Set<String> types = new TreeSet<>();
		received.forEach((frame) -> types.add(frame.get("type").stringValue() + frame.path("reason").stringValue("")
				+ frame.path("code").stringValue("")));
		assertThat(types).as("every server frame, every reset reason and error code")
			.containsExactlyInAnyOrder("hello", "notification", "retracted", "resumed", "pong", "unread",
					"resetunknown_seq", "resetinbox_erased", "errorbad_frame", "errorunavailable");
	}

	@Test
	void everyEventOfARealStreamIsADocumentedMessageWithItsSeqAsId() {
		String user = newUser();
		lane.deliver(TENANT, user, 1, 2);
		awaitLastSeq(user, 2);
		TestHttp http = new TestHttp(this.port);
		try (TestEventStream stream = TestEventStream
			.open(http.request("/v1/sse?since=0", TestTokens.token(TENANT, user)))) {
			List<TestEventStream.Event> events = new ArrayList<>(List.of(stream.next("hello")));
			events.addAll(stream.until((event) -> event.type().equals("resumed")));
			lane.deliver(TENANT, user, 3, 3);
			events.add(stream.next("notification"));
			lane.retract(TENANT, "evt-" + user + "-3", user);
			events.addAll(stream.until((event) -> event.type().equals("retracted")));
			assertThat(events).extracting(TestEventStream.Event::type)
				.containsExactly("hello", "notification", "notification", "resumed", "notification", "retracted");
			for (TestEventStream.Event event : events) {
				assertThat(this.document.checkFrame("sendEventStream", event.frame())).isEmpty();
				assertThat(event.id()).as("id of %s", event)
					.isEqualTo(event.isNotification() ? Long.toString(event.seq()) : null);
			}
		}
	}

	@Test
	void everyCloseCodeOfARealSessionIsDocumented() {
		Set<Integer> documented = new TreeSet<>();
		this.document.json()
			.at("/channels/webSocket/x-herald-close-codes")
			.forEach((close) -> documented.add(close.get("code").intValue()));
		String user = newUser();
		String token = TestTokens.token(TENANT, user);
		List<Integer> closes = new ArrayList<>();
		try (TestSocket badFrames = TestSocket.connect(this.port, token)) {
			badFrames.next("hello");
			badFrames.send("[]");
			badFrames.send("[]");
			closes.add(badFrames.closeCode());
		}
		try (TestSocket first = TestSocket.connect(this.port, token);
				TestSocket second = TestSocket.connect(this.port, token)) {
			first.next("hello");
			second.next("hello");
			try (TestSocket third = TestSocket.connect(this.port, token)) {
				closes.add(third.closeCode());
			}
		}
		String expiring = TestTokens.token(TENANT, newUser(), Instant.now().plusSeconds(2), TestTokens.SECRET);
		try (TestSocket socket = TestSocket.connect(this.port, expiring)) {
			socket.next("hello");
			closes.add(socket.closeCode());
		}
		assertThat(closes).containsExactly(4400, 4429, 4401);
		assertThat(documented).containsAll(closes);
	}

	/** Sends a frame and reads up to the first frame of the given type. */
	private static List<JsonNode> send(TestSocket socket, String frame, String until) {
		socket.send(frame);
		return socket.until((received) -> received.get("type").stringValue().equals(until));
	}

	private void awaitLastSeq(String user, long seq) {
		TestHttp http = new TestHttp(this.port);
		await().atMost(TIMEOUT)
			.until(() -> http.get("/v1/inbox/unread-count", TestTokens.token(TENANT, user))
				.json()
				.get("lastSeq")
				.longValue() == seq);
	}

	private static String newUser() {
		return "u-" + UUID.randomUUID();
	}

}
