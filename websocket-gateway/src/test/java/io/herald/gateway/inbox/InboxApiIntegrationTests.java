package io.herald.gateway.inbox;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.PartitionKeys;
import io.herald.events.Priority;
import io.herald.events.DeliveryState;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.gateway.GatewayIntegrationTest;
import io.herald.gateway.InAppLane;
import io.herald.gateway.TestHttp;
import io.herald.gateway.TestJwks;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import io.herald.infra.SharedInfra;
import io.herald.infra.TopicContents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inbox over HTTP (API.md section 3: {@code /v1/inbox}, {@code unread-count},
 * {@code read}, {@code ack}) against a gateway on the shared broker and Redis, hostile
 * input included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.inbox.max-length=10", "herald.kafka.partitions=4" })
@DirtiesContext
class InboxApiIntegrationTests extends GatewayIntegrationTest {

	static final String TENANT = "t-inbox-api";

	static final String OTHER_TENANT = "t-inbox-api-other";

	static final String OTHER_SECRET = "other-secret-0123456789abcdef0123456789abcdef";

	/**
	 * A tenant that signs its users' tokens with its own private key and publishes the
	 * public one.
	 */
	static final String KEYS_TENANT = "t-inbox-api-keys";

	private static final RSAKey KEYS_TENANT_KEY = TestJwks.rsaKey("keys-1");

	/** The tenant's JWK set, served over HTTP as its backend would. */
	private static final TestJwks KEYS_TENANT_JWKS = new TestJwks().publish(KEYS_TENANT_KEY);

	/** The tenants' keys, in one property source, as a list must be bound from one. */
	@DynamicPropertySource
	static void tenants(DynamicPropertyRegistry registry) {
		registry.add("herald.gateway.jwt.tenants[0].tenant", () -> TENANT);
		registry.add("herald.gateway.jwt.tenants[0].secret", () -> TestTokens.SECRET);
		registry.add("herald.gateway.jwt.tenants[1].tenant", () -> OTHER_TENANT);
		registry.add("herald.gateway.jwt.tenants[1].secret", () -> OTHER_SECRET);
		registry.add("herald.gateway.jwt.tenants[2].tenant", () -> KEYS_TENANT);
		registry.add("herald.gateway.jwt.tenants[2].jwks-url", () -> KEYS_TENANT_JWKS.url().toString());
	}

	@AfterAll
	static void stopJwks() {
		KEYS_TENANT_JWKS.close();
	}

	private static final List<String> ENDPOINTS = List.of("GET /v1/inbox", "GET /v1/inbox/unread-count",
			"POST /v1/inbox/read", "POST /v1/inbox/ack");

	@Autowired
	private StringRedisTemplate redis;

	private TestHttp http;

	private String token;

	@BeforeEach
	void newToken() {
		this.http = new TestHttp(this.port);
		this.token = TestTokens.token(TENANT, this.user);
	}

	@Test
	void pagesTheInboxNewestFirstWithBeforeAndLimitUntilNextBeforeIsNull() {
		deliver(1, 7);
		JsonNode first = inbox("?limit=3");
		assertThat(seqs(first)).containsExactly(7L, 6L, 5L);
		assertThat(first.get("nextBefore").longValue()).isEqualTo(5);
		assertThat(first.get("lastSeq").longValue()).isEqualTo(7);
		assertThat(first.get("oldestSeq").longValue()).isEqualTo(1);
		assertThat(first.get("readUpTo").longValue()).isZero();
		assertThat(first.get("unread").longValue()).isEqualTo(7);
		JsonNode second = inbox("?before=5&limit=3");
		assertThat(seqs(second)).containsExactly(4L, 3L, 2L);
		JsonNode last = inbox("?before=" + second.get("nextBefore").longValue() + "&limit=3");
		assertThat(seqs(last)).containsExactly(1L);
		assertThat(last.get("nextBefore").isNull()).as("nextBefore of %s", last).isTrue();
		// A page that ends exactly at the oldest notification is the last one too.
		assertThat(inbox("?limit=7").get("nextBefore").isNull()).isTrue();
		assertThat(seqs(inbox(""))).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
		JsonNode item = first.get("notifications").get(2);
		assertThat(item.get("title").stringValue()).isEqualTo("title 5");
		assertThat(item.get("body").stringValue()).isEqualTo("body 5");
		assertThat(item.get("eventId").stringValue()).isEqualTo("evt-" + this.user + "-5");
		assertThat(item.get("id").stringValue()).isNotBlank();
		assertThat(item.get("category").stringValue()).isEqualTo("order.shipped");
		assertThat(item.get("priority").stringValue()).isEqualTo("high");
		assertThat(item.get("data").get("n").intValue()).isEqualTo(5);
		assertThat(Instant.parse(item.get("createdAt").stringValue())).isBefore(Instant.now().plusSeconds(1));
		assertThat(item.get("read").booleanValue()).isFalse();
	}

	@Test
	void anEmptyInboxHasNothingToReadOrMark() {
		JsonNode page = inbox("");
		assertThat(page.get("notifications")).isEmpty();
		assertThat(page.get("lastSeq").longValue()).isZero();
		assertThat(page.get("oldestSeq").longValue()).isEqualTo(1);
		assertThat(page.get("nextBefore").isNull()).isTrue();
		assertUnread(this.http.get("/v1/inbox/unread-count", this.token).ok(), 0, 0, 0);
		assertUnread(this.http.post("/v1/inbox/read", this.token, "{\"upTo\":5}").ok(), 0, 0, 0);
		assertThat(this.http.post("/v1/inbox/ack", this.token, "{\"upTo\":5}").ok().get("ackedUpTo").longValue())
			.isZero();
	}

	@Test
	void trimmedHistoryShowsInOldestSeqAndUnread() {
		deliver(1, 15);
		JsonNode page = inbox("");
		assertThat(seqs(page))
			.containsExactlyElementsOf(LongStream.iterate(15, (seq) -> seq >= 6, (seq) -> seq - 1).boxed().toList());
		assertThat(page.get("oldestSeq").longValue()).isEqualTo(6);
		assertThat(page.get("lastSeq").longValue()).isEqualTo(15);
		assertThat(page.get("unread").longValue()).isEqualTo(10);
		assertThat(page.get("nextBefore").isNull()).isTrue();
		assertThat(inbox("?before=6").get("notifications")).isEmpty();
		assertUnread(this.http.get("/v1/inbox/unread-count", this.token).ok(), 10, 0, 15);
	}

	@Test
	void readMovesForwardOnlyReturnsTheNewStateAndEveryConnectedDeviceHearsIt() {
		deliver(1, 4);
		try (TestSocket phone = TestSocket.connect(this.port, this.token)) {
			phone.next("hello");
			assertUnread(this.http.post("/v1/inbox/read", this.token, "{\"upTo\":3}").ok(), 1, 3, 4);
			JsonNode frame = phone.next("unread");
			assertThat(frame.get("count").longValue()).isEqualTo(1);
			assertThat(frame.get("readUpTo").longValue()).isEqualTo(3);
			JsonNode page = inbox("");
			assertThat(page.get("notifications")).extracting((item) -> item.get("read").booleanValue())
				.containsExactly(false, true, true, true);
			assertThat(page.get("readUpTo").longValue()).isEqualTo(3);
			assertThat(page.get("unread").longValue()).isEqualTo(1);
			assertUnread(this.http.get("/v1/inbox/unread-count", this.token).ok(), 1, 3, 4);

			// Backwards: nothing moves, nothing is published.
			assertUnread(this.http.post("/v1/inbox/read", this.token, "{\"upTo\":1}").ok(), 1, 3, 4);
			// Beyond the newest seq: stops at it.
			assertUnread(this.http.post("/v1/inbox/read", this.token, "{\"upTo\":1000}").ok(), 0, 4, 4);
			JsonNode next = phone.next("unread");
			assertThat(next.get("count").longValue()).isZero();
			assertThat(next.get("readUpTo").longValue()).isEqualTo(4);
		}
	}

	@Test
	void ackReportsAcknowledgedOncePerNotificationWhoeverAcksHowOften() throws Exception {
		deliver(1, 3);
		assertThat(ack(2)).isEqualTo(2);
		assertThat(ack(2)).isEqualTo(2);
		assertThat(ack(1)).isEqualTo(2);
		List<Thread> devices = IntStream.range(0, 4)
			.mapToObj((device) -> Thread.ofVirtual().start(() -> assertThat(ack(99)).isEqualTo(3)))
			.toList();
		for (Thread device : devices) {
			device.join();
		}
		assertThat(ack(3)).isEqualTo(3);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(acknowledged()).extracting(StatusReported::seq)
				.containsExactlyInAnyOrder(1L, 2L, 3L));
		assertThat(acknowledged()).allSatisfy((status) -> {
			assertThat(status.eventId()).isEqualTo("evt-" + this.user + "-" + status.seq());
			assertThat(status.channel()).isEqualTo(Channel.INAPP);
		});
	}

	@Test
	void readReportsReadOncePerNotificationFromRestAndFromAnyDevicesFrame() throws Exception {
		deliver(1, 4);
		assertUnread(this.http.post("/v1/inbox/read", this.token, "{\"upTo\":2}").ok(), 2, 2, 4);
		assertUnread(this.http.post("/v1/inbox/read", this.token, "{\"upTo\":1}").ok(), 2, 2, 4);
		try (TestSocket phone = TestSocket.connect(this.port, this.token);
				TestSocket laptop = TestSocket.connect(this.port, this.token)) {
			phone.next("hello");
			laptop.next("hello");
			phone.send("{\"type\":\"read\",\"upTo\":4}");
			laptop.send("{\"type\":\"read\",\"upTo\":4}");
			assertThat(phone.next("unread").get("readUpTo").longValue()).isEqualTo(4);
		}
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.READ)).extracting(StatusReported::seq)
				.containsExactlyInAnyOrder(1L, 2L, 3L, 4L));
		assertThat(statuses(DeliveryState.READ)).allSatisfy((status) -> {
			assertThat(status.eventId()).isEqualTo("evt-" + this.user + "-" + status.seq());
			assertThat(status.channel()).isEqualTo(Channel.INAPP);
		});
	}

	@Test
	void aTenantsRs256TokenFromItsPublishedKeysOpensItsUsersInboxAndNoOtherKeyDoes() throws Exception {
		String token = rs256(KEYS_TENANT_KEY, this.user);
		assertThat(this.http.get("/v1/inbox", token).status()).isEqualTo(200);
		assertThat(this.http.get("/v1/inbox/unread-count", token).status()).isEqualTo(200);

		this.http.get("/v1/inbox", rs256(TestJwks.rsaKey("keys-1"), this.user)).assertProblem(401, "invalid_token");
		SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
				new JWTClaimsSet.Builder().subject(this.user).claim("tid", KEYS_TENANT).build());
		hs256.sign(new MACSigner(TestTokens.SECRET));
		this.http.get("/v1/inbox", hs256.serialize()).assertProblem(401, "invalid_token");
	}

	private static String rs256(RSAKey key, String userId) {
		return TestJwks.token(key,
				new JWTClaimsSet.Builder().subject(userId)
					.claim("tid", KEYS_TENANT)
					.expirationTime(Date.from(Instant.now().plusSeconds(600)))
					.build());
	}

	@Test
	void limitOrBeforeThatIsNotInRangeIsA400Problem() {
		for (String query : List.of("?limit=0", "?limit=101", "?limit=x", "?limit=-1", "?limit=", "?limit=2.5",
				"?before=0", "?before=-3", "?before=x", "?before=1e3", "?before=99999999999999999999")) {
			this.http.get("/v1/inbox" + query, this.token).assertProblem(400, "invalid_request");
		}
		assertThat(inbox("?limit=100&before=1").get("notifications")).isEmpty();
	}

	@Test
	void bodyThatIsNotJsonIsA400MalformedJson() {
		for (String path : List.of("/v1/inbox/read", "/v1/inbox/ack")) {
			for (String body : List.of("not json", "{", "{\"upTo\":1", "{\"upTo\":1}}", "")) {
				this.http.post(path, this.token, body).assertProblem(400, "malformed_json");
			}
		}
	}

	@Test
	void upToThatIsNotASeqIsA400InvalidRequest() {
		for (String path : List.of("/v1/inbox/read", "/v1/inbox/ack")) {
			for (String body : List.of("{}", "{\"upTo\":null}", "{\"upTo\":-1}", "{\"upTo\":\"5\"}", "{\"upTo\":1.5}",
					"{\"upTo\":2.0}", "{\"upTo\":1e2}", "{\"upTo\":true}", "{\"upTo\":[5]}", "{\"seq\":5}",
					"{\"upTo\":99999999999999999999}", "[5]", "5", "null")) {
				this.http.post(path, this.token, body).assertProblem(400, "invalid_request");
			}
		}
	}

	@Test
	void bodyThatIsNotDeclaredJsonIsA415Problem() {
		for (String path : List.of("/v1/inbox/read", "/v1/inbox/ack")) {
			for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
				this.http.post(path, this.token, type, "{\"upTo\":1}").assertProblem(415, "unsupported_media_type");
			}
			TestHttp.send(this.http.request(path, this.token).POST(HttpRequest.BodyPublishers.ofString("{\"upTo\":1}")))
				.assertProblem(415, "unsupported_media_type");
		}
	}

	@Test
	void bodyOver4KiBIsA413ProblemWithOrWithoutContentLength() {
		String large = "{\"upTo\":1,\"pad\":\"" + "x".repeat(4 * 1024) + "\"}";
		for (String path : List.of("/v1/inbox/read", "/v1/inbox/ack")) {
			this.http.post(path, this.token, large).assertProblem(413, "payload_too_large");
			this.http.postChunked(path, this.token, large).assertProblem(413, "payload_too_large");
		}
	}

	@Test
	void everyEndpointRefusesAMissingOrExpiredTokenWith401() {
		String expired = TestTokens.token(TENANT, this.user, Instant.now().minusSeconds(600), TestTokens.SECRET);
		for (String endpoint : ENDPOINTS) {
			String method = endpoint.substring(0, endpoint.indexOf(' '));
			String path = endpoint.substring(endpoint.indexOf(' ') + 1);
			for (String token : Arrays.asList(null, expired, "garbage")) {
				HttpRequest.Builder request = this.http.request(path, token);
				if (method.equals("POST")) {
					request.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString("{\"upTo\":1}"));
				}
				TestHttp.send(request).assertInvalidToken();
			}
		}
	}

	@Test
	void oneTenantsTokenNeverSeesAnotherTenantsInboxOfTheSameUserId() {
		lane.deliver(InAppLane.notification(TENANT, this.user, 1, "for " + TENANT));
		lane.deliver(InAppLane.notification(TENANT, this.user, 2, "for " + TENANT));
		lane.deliver(InAppLane.notification(OTHER_TENANT, this.user, 1, "for " + OTHER_TENANT));
		String other = TestTokens.token(OTHER_TENANT, this.user, Instant.now().plusSeconds(600), OTHER_SECRET);
		awaitLastSeq(this.token, 2);
		awaitLastSeq(other, 1);
		assertThat(this.http.get("/v1/inbox", this.token).ok().get("notifications"))
			.extracting((item) -> item.get("body").stringValue())
			.containsExactly("for " + TENANT, "for " + TENANT);
		assertThat(this.http.get("/v1/inbox", other).ok().get("notifications"))
			.extracting((item) -> item.get("body").stringValue())
			.containsExactly("for " + OTHER_TENANT);
		this.http.post("/v1/inbox/read", this.token, "{\"upTo\":2}").ok();
		assertUnread(this.http.get("/v1/inbox/unread-count", other).ok(), 1, 0, 1);
		// Signed with one tenant's key, a token cannot claim the other tenant.
		String forged = TestTokens.token(OTHER_TENANT, this.user, null, TestTokens.SECRET);
		this.http.get("/v1/inbox", forged).assertInvalidToken();
	}

	@Test
	void oneUnreadableEntryFailsNoPageNoReplayAndNoStream() {
		deliver(1, 2);
		InboxKeys keys = InboxKeys.of(TENANT, this.user);
		// As an older version could have written them: data nested too deep for a page,
		// and garbage.
		String deep = StoredNotificationsTests.notification(StoredNotificationsTests.nested(498))
			.replace("\"title\":\"Your order shipped\"", "\"title\":\"title 3\"");
		String now = Long.toString(System.currentTimeMillis());
		this.redis.opsForStream()
			.add(StreamRecords.string(Map.of("id", "n-3", "t", now, "n", deep))
				.withStreamKey(keys.stream())
				.withId(RecordId.of(InboxKeys.entryId(3))));
		this.redis.opsForStream()
			.add(StreamRecords.string(Map.of("id", "n-4", "t", now, "n", "garbage"))
				.withStreamKey(keys.stream())
				.withId(RecordId.of(InboxKeys.entryId(4))));
		this.redis.opsForValue().set(keys.seq(), "4");
		deliver(5, 5);

		JsonNode page = inbox("");
		assertThat(seqs(page)).containsExactly(5L, 3L, 2L, 1L);
		JsonNode tooDeep = page.get("notifications").get(1);
		assertThat(tooDeep.get("title").stringValue()).isEqualTo("title 3");
		assertThat(tooDeep.get("data").isEmpty()).isTrue();
		assertThat(page.get("notifications").get(0).get("data").get("n").intValue()).isEqualTo(5);
		try (TestSocket socket = TestSocket.connect(this.port, this.token)) {
			socket.next("hello");
			socket.send("{\"type\":\"resume\",\"since\":0}");
			List<JsonNode> replay = socket.until((frame) -> frame.get("type").stringValue().equals("resumed"));
			assertThat(replay).filteredOn(TestSocket::isNotification)
				.extracting((frame) -> frame.get("seq").longValue())
				.containsExactly(1L, 2L, 3L, 5L);
			assertThat(replay.get(2).get("data").isEmpty()).isTrue();
		}
		assertThat(this.http.post("/v1/inbox/ack", this.token, "{\"upTo\":5}").ok().get("ackedUpTo").longValue())
			.isEqualTo(5);
	}

	@Test
	void aNotificationItsReadersCouldNotServeIsDeadLetteredWithTheReasonAndTheLaneMovesOn() {
		String eventId = "evt-" + this.user + "-deep";
		Map<String, Object> data = Map.of("n", 0);
		for (int level = 0; level < StoredNotifications.MAX_DEPTH; level++) {
			data = Map.of("d", data);
		}
		lane.deliver(new DeliverNotification(DeliverNotification.SCHEMA_VERSION, TENANT, eventId,
				DeliverNotification.notificationId(eventId, this.user, Channel.INAPP), this.user, Priority.HIGH,
				"order.shipped", new ChannelMessage.InApp("deep", "deep"), data, Instant.now(), null));
		deliver(1, 1);
		assertThat(seqs(inbox(""))).containsExactly(1L);
		String dlt = Topics.deadLetter(Topics.deliver(Channel.INAPP, Lane.PRIORITY).name());
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(TopicContents.readAll(SharedInfra.kafka().bootstrapServers(), dlt))
				.filteredOn((record) -> PartitionKeys.user(TENANT, this.user).equals(record.key()))
				.singleElement()
				.satisfies((record) -> {
					assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.DLT_REASON))
						.isEqualTo("invalid_record");
					assertThat(HeaderNames.lastValue(record.headers(), "kafka_dlt-exception-message"))
						.contains("nests deeper than the inbox's limit");
				}));
	}

	private void deliver(int from, int to) {
		lane.deliver(TENANT, this.user, from, to);
		awaitLastSeq(this.token, to);
	}

	private void awaitLastSeq(String token, long seq) {
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(this.http.get("/v1/inbox/unread-count", token).ok().get("lastSeq").longValue())
						.isEqualTo(seq));
	}

	private JsonNode inbox(String query) {
		return this.http.get("/v1/inbox" + query, this.token).ok();
	}

	private long ack(long upTo) {
		return this.http.post("/v1/inbox/ack", this.token, "{\"upTo\":" + upTo + "}").ok().get("ackedUpTo").longValue();
	}

	private static List<Long> seqs(JsonNode page) {
		return page.get("notifications").valueStream().map((item) -> item.get("seq").longValue()).toList();
	}

	private static void assertUnread(JsonNode unread, long count, long readUpTo, long lastSeq) {
		assertThat(unread.get("count").longValue()).as("count of %s", unread).isEqualTo(count);
		assertThat(unread.get("readUpTo").longValue()).as("readUpTo of %s", unread).isEqualTo(readUpTo);
		assertThat(unread.get("lastSeq").longValue()).as("lastSeq of %s", unread).isEqualTo(lastSeq);
	}

	private List<StatusReported> acknowledged() {
		return statuses(DeliveryState.ACKNOWLEDGED);
	}

	private List<StatusReported> statuses(DeliveryState state) {
		return TopicContents.readAll(SharedInfra.kafka().bootstrapServers(), Topics.STATUS.name())
			.stream()
			.map((record) -> Topics.STATUS.codec().decode(record.value()))
			.filter((status) -> status != null && status.tenant().equals(TENANT) && status.userId().equals(this.user)
					&& status.state() == state)
			.toList();
	}

}
