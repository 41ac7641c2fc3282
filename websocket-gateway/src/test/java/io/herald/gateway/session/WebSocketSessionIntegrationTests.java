package io.herald.gateway.session;

import io.herald.events.DeliveryState;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.gateway.GatewayIntegrationTest;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import io.herald.gateway.inbox.InboxKeys;
import io.herald.infra.RawHttp;
import io.herald.infra.SharedInfra;
import io.herald.infra.TopicContents;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WebSocket protocol of API.md section 3, frame by frame, against a gateway on the
 * shared broker and Redis. Notifications enter as routing writes them, on the in-app
 * lane.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.inbox.max-length=50", "herald.kafka.partitions=4",
				"herald.gateway.session.max-connections-per-user=4", "herald.gateway.session.max-bad-frames=3",
				"herald.gateway.jwt.clock-skew=5s",
				"herald.gateway.jwt.tenants[0].tenant=" + WebSocketSessionIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET,
				"herald.gateway.jwt.tenants[1].tenant=t-other",
				"herald.gateway.jwt.tenants[1].secret=" + WebSocketSessionIntegrationTests.OTHER_SECRET })
@DirtiesContext
class WebSocketSessionIntegrationTests extends GatewayIntegrationTest {

	static final String TENANT = "t-sessions";

	static final String OTHER_SECRET = "other-secret-0123456789abcdef0123456789abcdef";

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void helloComesFirstThenNotificationsAppendedAfterTheConnectionOpenedInSeqOrder() {
		try (TestSocket socket = connect()) {
			JsonNode hello = socket.next("hello");
			assertThat(hello.get("user").stringValue()).isEqualTo(this.user);
			assertThat(hello.get("lastSeq").longValue()).isZero();
			assertThat(hello.get("unread").longValue()).isZero();
			assertThat(hello.get("heartbeatSec").longValue()).isEqualTo(25);
			assertThat(hello.get("session").stringValue()).isNotBlank();

			lane.deliver(TENANT, this.user, 1, 3);

			List<JsonNode> frames = List.of(socket.next(), socket.next(), socket.next());
			assertThat(frames).extracting((frame) -> frame.get("seq").longValue()).containsExactly(1L, 2L, 3L);
			JsonNode first = frames.get(0);
			assertThat(first.get("type").stringValue()).isEqualTo("notification");
			assertThat(first.get("title").stringValue()).isEqualTo("title 1");
			assertThat(first.get("body").stringValue()).isEqualTo("body 1");
			assertThat(first.get("category").stringValue()).isEqualTo("order.shipped");
			assertThat(first.get("priority").stringValue()).isEqualTo("high");
			assertThat(first.get("eventId").stringValue()).isEqualTo("evt-" + this.user + "-1");
			assertThat(first.get("data").get("n").intValue()).isEqualTo(1);
			assertThat(first.get("createdAt").stringValue()).isNotBlank();
		}
	}

	@Test
	void withoutResumeOnlyNotificationsAfterTheConnectionOpenedArrive() {
		lane.deliver(TENANT, this.user, 1, 2);
		awaitLastSeq(2);
		try (TestSocket socket = connect()) {
			assertThat(socket.next("hello").get("lastSeq").longValue()).isEqualTo(2);
			lane.deliver(TENANT, this.user, 3, 3);
			assertThat(socket.next("notification").get("seq").longValue()).isEqualTo(3);
		}
	}

	@Test
	void resumeReplaysWhatWasMissedThenGoesLiveWithoutGapDuplicateOrReordering() throws Exception {
		lane.deliver(TENANT, this.user, 1, 30);
		awaitLastSeq(30);
		try (TestSocket socket = connect()) {
			socket.next("hello");
			// Notifications keep arriving while the replay runs.
			Thread writer = Thread.ofVirtual().start(() -> lane.deliver(TENANT, this.user, 31, 45));
			socket.send("{\"type\":\"resume\",\"since\":10}");
			List<JsonNode> frames = new ArrayList<>(
					socket.until((frame) -> TestSocket.isNotification(frame) && frame.get("seq").longValue() == 45));
			// When the replay itself reached 45, resumed follows the last notification.
			if (frames.stream().noneMatch(WebSocketSessionIntegrationTests::isResumed)) {
				frames.addAll(socket.until(WebSocketSessionIntegrationTests::isResumed));
			}
			writer.join();
			List<Long> seqs = frames.stream()
				.filter(TestSocket::isNotification)
				.map((frame) -> frame.get("seq").longValue())
				.toList();
			assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(11, 45).boxed().toList());
			JsonNode resumed = frames.stream()
				.filter(WebSocketSessionIntegrationTests::isResumed)
				.findFirst()
				.orElseThrow();
			long upTo = resumed.get("upTo").longValue();
			assertThat(upTo).isBetween(30L, 45L);
			// Replayed frames (up to upTo) come before resumed, live ones after.
			int resumedAt = frames.indexOf(resumed);
			assertThat(frames.subList(0, resumedAt)).allMatch((frame) -> frame.get("seq").longValue() <= upTo);
		}
	}

	@Test
	void aNotificationWhoseLiveMessageWasLostArrivesOnceTheNodesSubscriptionIsRestored() {
		try (TestSocket socket = connect()) {
			socket.next("hello");
			socket.send("{\"type\":\"ping\"}");
			socket.next("pong");
			lane.deliver(TENANT, this.user, 1, 1);
			assertThat(socket.next("notification").get("seq").longValue()).isEqualTo(1);

			// Appended while its live message was lost (the node's Pub/Sub connection was
			// down).
			InboxKeys keys = InboxKeys.of(TENANT, this.user);
			this.redis.opsForValue().increment(keys.seq());
			this.redis.opsForStream()
				.add(StreamRecords
					.string(Map.of("id", "n-lost", "t", Long.toString(System.currentTimeMillis()), "n",
							"{\"id\":\"n-lost\",\"title\":\"lost\",\"body\":\"b\"}"))
					.withStreamKey(keys.stream())
					.withId(RecordId.of("2-0")));
			RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", SharedInfra.redis().port()));
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				assertThat(connection.sync().clientKill(KillArgs.Builder.typePubsub())).isPositive();
			}
			finally {
				client.shutdown();
			}

			JsonNode recovered = socket.next("notification");
			assertThat(recovered.get("seq").longValue()).isEqualTo(2);
			assertThat(recovered.get("title").stringValue()).isEqualTo("lost");
			lane.deliver(TENANT, this.user, 2, 2);
			assertThat(socket.next("notification").get("seq").longValue()).isEqualTo(3);
		}
	}

	@Test
	void resumeFromHistoryThatWasTrimmedGetsResetWithTheOldestSeq() {
		lane.deliver(TENANT, this.user, 1, 60);
		awaitLastSeq(60);
		try (TestSocket socket = connect()) {
			socket.next("hello");
			socket.send("{\"type\":\"resume\",\"since\":3}");
			JsonNode reset = socket.next("reset");
			assertThat(reset.get("reason").stringValue()).isEqualTo("history_trimmed");
			assertThat(reset.get("oldestSeq").longValue()).isEqualTo(11);
			assertThat(socket.next("resumed").get("upTo").longValue()).isEqualTo(60);
			lane.deliver(TENANT, this.user, 61, 61);
			assertThat(socket.next("notification").get("seq").longValue()).isEqualTo(61);
		}
	}

	@Test
	void resumeFromTheNewestSeqReplaysNothingAndResumeFromASeqNeverHandedOutGetsReset() {
		lane.deliver(TENANT, this.user, 1, 2);
		awaitLastSeq(2);
		try (TestSocket socket = connect()) {
			socket.next("hello");
			socket.send("{\"type\":\"resume\",\"since\":2}");
			assertThat(socket.next("resumed").get("upTo").longValue()).isEqualTo(2);
			socket.send("{\"type\":\"resume\",\"since\":99}");
			assertThat(socket.next("reset").get("reason").stringValue()).isEqualTo("unknown_seq");
			assertThat(socket.next("resumed").get("upTo").longValue()).isEqualTo(2);
		}
	}

	@Test
	void ackIsRecordedAsAcknowledgedOncePerNotification() {
		lane.deliver(TENANT, this.user, 1, 3);
		awaitLastSeq(3);
		try (TestSocket socket = connect(); TestSocket other = connect()) {
			socket.next("hello");
			other.next("hello");
			socket.send("{\"type\":\"ack\",\"upTo\":2}");
			other.send("{\"type\":\"ack\",\"upTo\":2}");
			socket.send("{\"type\":\"ping\"}");
			socket.next("pong");
			other.send("{\"type\":\"ping\"}");
			other.next("pong");
		}
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(acknowledged()).extracting(StatusReported::seq).containsExactlyInAnyOrder(1L, 2L));
	}

	@Test
	void readOnOneDeviceUpdatesTheUnreadCountOnEveryDeviceAndNeverMovesBack() {
		lane.deliver(TENANT, this.user, 1, 3);
		awaitLastSeq(3);
		try (TestSocket phone = connect(); TestSocket laptop = connect()) {
			assertThat(phone.next("hello").get("unread").longValue()).isEqualTo(3);
			laptop.next("hello");

			phone.send("{\"type\":\"read\",\"upTo\":2}");
			for (TestSocket device : List.of(phone, laptop)) {
				JsonNode unread = device.next("unread");
				assertThat(unread.get("count").longValue()).isEqualTo(1);
				assertThat(unread.get("readUpTo").longValue()).isEqualTo(2);
			}

			laptop.send("{\"type\":\"read\",\"upTo\":1}");
			JsonNode unchanged = laptop.next("unread");
			assertThat(unchanged.get("readUpTo").longValue()).isEqualTo(2);
			assertThat(unchanged.get("count").longValue()).isEqualTo(1);

			laptop.send("{\"type\":\"read\",\"upTo\":1000}");
			for (TestSocket device : List.of(phone, laptop)) {
				JsonNode unread = device.next("unread");
				assertThat(unread.get("count").longValue()).isZero();
				assertThat(unread.get("readUpTo").longValue()).isEqualTo(3);
			}
		}
	}

	@Test
	void badFramesGetAnErrorAndTooManyCloseTheConnectionWith4400() {
		try (TestSocket socket = connect()) {
			socket.next("hello");
			for (String bad : List.of("not json", "[1]", "{\"type\":\"resume\",\"since\":-1}")) {
				socket.send(bad);
				JsonNode error = socket.next("error");
				assertThat(error.get("code").stringValue()).isEqualTo("bad_frame");
				assertThat(error.get("message").stringValue()).isNotBlank();
			}
			socket.send("{\"type\":\"ping\"}");
			socket.next("pong");
			socket.send("{\"type\":\"launch-missiles\"}");
			socket.next("error");
			assertThat(socket.closeCode()).isEqualTo(4400);
		}
	}

	@Test
	void upgradeWithoutAValidTokenOfAKnownTenantIsRefusedWith401() {
		String otherTenantsKey = TestTokens.token("t-other", this.user, Instant.now().plusSeconds(600),
				TestTokens.SECRET);
		String expired = TestTokens.token(TENANT, this.user, Instant.now().minusSeconds(600), TestTokens.SECRET);
		String unknownTenant = TestTokens.token("t-unknown", this.user, null, TestTokens.SECRET);
		String unsigned = "eyJhbGciOiJub25lIn0." + java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(("{\"sub\":\"" + this.user + "\",\"tid\":\"" + TENANT + "\"}").getBytes()) + ".";
		assertThat(TestSocket.refusedStatus(this.port, null)).isEqualTo(401);
		assertThat(TestSocket.refusedStatus(this.port, "garbage")).isEqualTo(401);
		assertThat(TestSocket.refusedStatus(this.port, otherTenantsKey)).isEqualTo(401);
		assertThat(TestSocket.refusedStatus(this.port, expired)).isEqualTo(401);
		assertThat(TestSocket.refusedStatus(this.port, unknownTenant)).isEqualTo(401);
		assertThat(TestSocket.refusedStatus(this.port, unsigned)).isEqualTo(401);
	}

	@Test
	void aTokenExpiredWithinTheClockSkewIsUpgradedAndKeptUntilExpiryPlusSkewThenClosedWith4401() {
		// The class's skew is 5 s: valid for about 3 s more.
		String token = TestTokens.token(TENANT, this.user, Instant.now().minusSeconds(2), TestTokens.SECRET);
		try (TestSocket socket = TestSocket.connect(this.port, token)) {
			socket.next("hello");
			socket.send("{\"type\":\"ping\"}");
			socket.next("pong");
			assertThat(socket.closeCode()).isEqualTo(4401);
		}
	}

	@Test
	void aTokenThatExpiresDuringTheSessionClosesItWith4401() {
		String token = TestTokens.token(TENANT, this.user, Instant.now().plusSeconds(2), TestTokens.SECRET);
		try (TestSocket socket = TestSocket.connect(this.port, token)) {
			socket.next("hello");
			assertThat(socket.closeCode()).isEqualTo(4401);
		}
	}

	@Test
	void oneConnectionMoreThanTheUsersLimitIsClosedWith4429() {
		List<TestSocket> sockets = new java.util.ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				TestSocket socket = connect();
				socket.next("hello");
				sockets.add(socket);
			}
			try (TestSocket oneTooMany = connect()) {
				assertThat(oneTooMany.closeCode()).isEqualTo(4429);
			}
			sockets.remove(0).close();
			await().atMost(TIMEOUT).untilAsserted(() -> {
				try (TestSocket again = connect()) {
					assertThat(again.next().get("type").stringValue()).isEqualTo("hello");
				}
			});
		}
		finally {
			sockets.forEach(TestSocket::close);
		}
	}

	@Test
	void sinceInTheUrlReplaysBeforeAnyLiveNotificationHoweverLateTheClientsFirstFrame() {
		lane.deliver(TENANT, this.user, 1, 5);
		awaitLastSeq(5);
		try (TestSocket socket = TestSocket.connect(this.port, TestTokens.token(TENANT, this.user), "&since=2")) {
			assertThat(socket.next("hello").get("lastSeq").longValue()).isEqualTo(5);
			List<JsonNode> frames = socket.until(WebSocketSessionIntegrationTests::isResumed);
			assertThat(frames)
				.extracting((frame) -> frame.get("type").stringValue() + ":"
						+ (frame.has("seq") ? frame.get("seq").longValue() : frame.get("upTo").longValue()))
				.containsExactly("notification:3", "notification:4", "notification:5", "resumed:5");
			lane.deliver(TENANT, this.user, 6, 6);
			assertThat(socket.next("notification").get("seq").longValue()).isEqualTo(6);
		}
	}

	@Test
	void aSinceThatIsNoSeqIsRefusedWith400BeforeTheUpgradeAndHoldsNoneOfTheUsersConnections() {
		Map<String, String> upgrade = Map.of("Authorization", "Bearer " + TestTokens.token(TENANT, this.user),
				"Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
				"Sec-WebSocket-Version", "13");
		for (String since : List.of("abc", "-1", "1.5", "0x10", "99999999999999999999")) {
			refused(RawHttp.send(this.port, "GET", "/v1/ws?since=" + since, upgrade), 400, "invalid_request");
		}
		assertAllOfTheUsersConnectionsAreFree();
	}

	@Test
	void refusedUpgradesAreProblemDetailsAndHoldNoneOfTheUsersConnections() {
		Map<String, String> upgrade = Map.of("Authorization", "Bearer " + TestTokens.token(TENANT, this.user),
				"Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
				"Sec-WebSocket-Version", "13");
		for (int i = 0; i < 2; i++) {
			refused(RawHttp.send(this.port, "GET", "/v1/ws", Map.of("Authorization", upgrade.get("Authorization"))),
					400, "invalid_request");
			// An Upgrade header that Connection does not name: Jetty refuses it before
			// the gateway sees it.
			refused(RawHttp.send(this.port, "GET", "/v1/ws", RawHttp.with(upgrade, "Connection", "keep-alive")), 400,
					"invalid_request_target");
			Map<String, String> withoutKey = new java.util.HashMap<>(upgrade);
			withoutKey.remove("Sec-WebSocket-Key");
			refused(RawHttp.send(this.port, "GET", "/v1/ws", withoutKey), 400, "invalid_request");
			RawHttp.Response version = RawHttp.send(this.port, "GET", "/v1/ws",
					RawHttp.with(upgrade, "Sec-WebSocket-Version", "8"));
			refused(version, 400, "invalid_request");
			assertThat(version.header("Sec-WebSocket-Version")).isEqualTo("13");
			RawHttp.Response post = RawHttp.send(this.port, "POST", "/v1/ws", upgrade);
			refused(post, 405, "method_not_allowed");
			assertThat(post.header("Allow")).isEqualTo("GET");
		}
		assertAllOfTheUsersConnectionsAreFree();
	}

	@Test
	void erasingTheUserResetsItsConnectionsAndSeqsStartOver() {
		lane.deliver(TENANT, this.user, 1, 2);
		awaitLastSeq(2);
		try (TestSocket socket = connect()) {
			socket.next("hello");
			io.herald.events.UserCommand erase = new io.herald.events.UserCommand.EraseUser(
					io.herald.events.UserCommand.SCHEMA_VERSION, TENANT, this.user, Instant.now());
			lane.send(Topics.USER_COMMANDS.name(), erase.key(), Topics.USER_COMMANDS.codec().encode(erase));
			JsonNode reset = socket.next("reset");
			assertThat(reset.get("reason").stringValue()).isEqualTo("inbox_erased");
			lane.deliver(TENANT, this.user, 3, 3);
			assertThat(socket.next("notification").get("seq").longValue()).isEqualTo(1);
		}
	}

	@Test
	void everyKeyOfAUserExpiresAndAResumeFromBeforeTheCounterExpiredGetsResetNotSilence() {
		lane.deliver(TENANT, this.user, 1, 3);
		awaitLastSeq(3);
		InboxKeys keys = InboxKeys.of(TENANT, this.user);
		try (TestSocket socket = connect()) {
			socket.next("hello");
			socket.send("{\"type\":\"read\",\"upTo\":3}");
			socket.next("unread");
			for (String key : List.of(keys.stream(), keys.seq(), keys.ids(), keys.cursors(),
					"herald:presence:{" + TENANT + ":" + this.user + "}")) {
				assertThat(this.redis.getExpire(key)).as("TTL of %s", key).isPositive();
			}
		}
		// What Redis does once counter-ttl passed without an append: the whole inbox is
		// gone.
		this.redis.delete(List.of(keys.stream(), keys.seq(), keys.ids(), keys.cursors()));
		lane.deliver(TENANT, this.user, 4, 4);
		awaitLastSeq(1);
		try (TestSocket socket = connect()) {
			assertThat(socket.next("hello").get("unread").longValue()).isEqualTo(1);
			socket.send("{\"type\":\"resume\",\"since\":3}");
			JsonNode reset = socket.next("reset");
			assertThat(reset.get("reason").stringValue()).isEqualTo("unknown_seq");
			assertThat(socket.next("resumed").get("upTo").longValue()).isEqualTo(1);
		}
	}

	private static void refused(RawHttp.Response response, int status, String code) {
		assertThat(response.isProblem(status, code)).as("%s %s: %s", status, code, response).isTrue();
	}

	private TestSocket connect() {
		return TestSocket.connect(this.port, TestTokens.token(TENANT, this.user));
	}

	private void awaitLastSeq(long seq) {
		await().atMost(TIMEOUT).untilAsserted(() -> {
			try (TestSocket probe = connect()) {
				assertThat(probe.next("hello").get("lastSeq").longValue()).isEqualTo(seq);
			}
		});
	}

	private List<StatusReported> acknowledged() {
		return TopicContents.readAll(SharedInfra.kafka().bootstrapServers(), Topics.STATUS.name())
			.stream()
			.map((record) -> Topics.STATUS.codec().decode(record.value()))
			.filter((status) -> status != null && status.tenant().equals(TENANT) && status.userId().equals(this.user)
					&& status.state() == DeliveryState.ACKNOWLEDGED)
			.toList();
	}

	/**
	 * The user can open as many connections as the limit allows: a refused upgrade held
	 * none.
	 */
	private void assertAllOfTheUsersConnectionsAreFree() {
		List<TestSocket> sockets = new java.util.ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				TestSocket socket = connect();
				sockets.add(socket);
				assertThat(socket.next().get("type").stringValue()).as("connection %s", i + 1).isEqualTo("hello");
			}
		}
		finally {
			sockets.forEach(TestSocket::close);
		}
	}

	private static boolean isResumed(JsonNode frame) {
		return frame.get("type").stringValue().equals("resumed");
	}

}
