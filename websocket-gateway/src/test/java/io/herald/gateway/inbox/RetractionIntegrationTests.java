package io.herald.gateway.inbox;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.EventCancelled;
import io.herald.events.HeaderNames;
import io.herald.events.Priority;
import io.herald.events.RetractNotification;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.gateway.GatewayIntegrationTest;
import io.herald.gateway.TestHttp;
import io.herald.gateway.TestRedisMonitor;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import io.herald.gateway.sse.TestEventStream;
import io.herald.infra.SharedInfra;
import io.herald.infra.TopicContents;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retractions of in-app notifications (docs/adr/029) on a real broker and Redis: what a
 * cancelled event showed leaves every device, the inbox and the unread count, and the
 * seqs stay gapless.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.jwt.tenants[0].tenant=" + RetractionIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET,
				"herald.gateway.session.max-connections-per-user=4" })
@DirtiesContext
class RetractionIntegrationTests extends GatewayIntegrationTest {

	static final String TENANT = "t-retract";

	@Test
	void aRetractedNotificationLeavesBothDevicesTheInboxAndTheUnreadCount() {
		lane.deliver(TENANT, this.user, 1, 3);
		awaitLastSeq(3);
		try (TestSocket phone = connect(); TestSocket laptop = connect()) {
			assertThat(phone.next("hello").get("unread").longValue()).isEqualTo(3);
			laptop.next("hello");

			lane.retract(TENANT, eventOf(2), this.user);

			for (TestSocket device : List.of(phone, laptop)) {
				// Live frames wait while a session holds them for a first resume; an
				// unread frame does not.
				List<JsonNode> frames = new ArrayList<>(List.of(device.next(), device.next()));
				assertThat(frames).filteredOn((frame) -> frame.get("type").stringValue().equals("retracted"))
					.singleElement()
					.satisfies((retracted) -> {
						assertThat(retracted.get("seq").longValue()).isEqualTo(4);
						assertThat(retracted.get("id").stringValue()).isEqualTo(notificationOf(2));
					});
				assertThat(frames).filteredOn((frame) -> frame.get("type").stringValue().equals("unread"))
					.singleElement()
					.satisfies((unread) -> assertThat(unread.get("count").longValue()).isEqualTo(2));
			}
		}
		JsonNode page = http().get("/v1/inbox", token()).ok();
		assertThat(page.get("notifications").valueStream().map((item) -> item.get("seq").longValue()))
			.containsExactly(3L, 1L);
		assertThat(page.get("lastSeq").longValue()).isEqualTo(4);
		assertThat(page.get("unread").longValue()).isEqualTo(2);
		assertThat(http().get("/v1/inbox/unread-count", token()).ok().get("count").longValue()).isEqualTo(2);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.CANCELLED)).singleElement().satisfies((status) -> {
				assertThat(status.eventId()).isEqualTo(eventOf(2));
				assertThat(status.channel()).isEqualTo(Channel.INAPP);
				assertThat(status.reason()).isEqualTo(EventCancelled.BY_API);
			}));
	}

	@Test
	void aResumeAfterARetractionShowsNoGapAndTheNotificationAsRetracted() {
		lane.deliver(TENANT, this.user, 1, 3);
		lane.retract(TENANT, eventOf(2), this.user);
		awaitLastSeq(4);

		try (TestSocket socket = connect()) {
			socket.next("hello");
			socket.send("{\"type\":\"resume\",\"since\":0}");
			List<JsonNode> frames = socket.until((frame) -> frame.get("type").stringValue().equals("resumed"));
			assertThat(frames).extracting((frame) -> frame.get("type").stringValue() + " " + frame.get("seq"))
				.containsExactly("notification 1", "retracted 2", "notification 3", "retracted 4", "resumed null");
			assertThat(frames.get(1).get("id").stringValue()).isEqualTo(notificationOf(2));
			assertThat(frames.get(3).get("id").stringValue()).isEqualTo(notificationOf(2));
		}
		try (TestEventStream stream = TestEventStream.open(http().request("/v1/sse?since=2", token()))) {
			stream.next("hello");
			List<TestEventStream.Event> events = stream.until((event) -> event.type().equals("resumed"));
			assertThat(events).extracting(TestEventStream.Event::type, TestEventStream.Event::id)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("notification", "3"),
						org.assertj.core.groups.Tuple.tuple("retracted", "4"),
						org.assertj.core.groups.Tuple.tuple("resumed", null));
		}
	}

	@Test
	void aRetractionAppliedAgainChangesNothing() {
		lane.deliver(TENANT, this.user, 1, 2);
		lane.retract(TENANT, eventOf(1), this.user);
		awaitLastSeq(3);
		try (TestSocket socket = connect()) {
			socket.next("hello");

			lane.retract(TENANT, eventOf(1), this.user);
			lane.deliver(TENANT, this.user, 3, 3);

			// The next frame is the next notification, with the next seq: the retraction
			// took none.
			JsonNode next = socket.next("notification");
			assertThat(next.get("seq").longValue()).isEqualTo(4);
			assertThat(socket.drain()).noneMatch((frame) -> frame.get("type").stringValue().equals("retracted"));
		}
		assertThat(http().get("/v1/inbox/unread-count", token()).ok().get("count").longValue()).isEqualTo(2);
	}

	@Test
	void aRetractionOfWhatTheInboxDoesNotHoldChangesNothing() {
		lane.deliver(TENANT, this.user, 1, 1);
		awaitLastSeq(1);

		lane.retract(TENANT, "evt-never-delivered", this.user);
		lane.deliver(TENANT, this.user, 2, 2);

		awaitLastSeq(2);
		assertThat(http().get("/v1/inbox", token()).ok().get("notifications")).hasSize(2);
		assertThat(statuses(DeliveryState.CANCELLED)).isEmpty();
	}

	@Test
	void aReadNotificationRetractedLeavesTheUnreadCountAlone() {
		lane.deliver(TENANT, this.user, 1, 2);
		awaitLastSeq(2);
		http().post("/v1/inbox/read", token(), "{\"upTo\": 1}").ok();

		lane.retract(TENANT, eventOf(1), this.user);

		awaitLastSeq(3);
		JsonNode count = http().get("/v1/inbox/unread-count", token()).ok();
		assertThat(count.get("count").longValue()).isEqualTo(1);
		assertThat(count.get("readUpTo").longValue()).isEqualTo(1);
	}

	@Test
	void aRetractionOfManyUsersRetractsFromEachInbox() {
		String other = this.user + "-2";
		lane.deliver(forEvent(this.user, "evt-shared"));
		lane.deliver(forEvent(other, "evt-shared"));
		lane.flush();
		awaitLastSeq(this.user, 1);
		awaitLastSeq(other, 1);

		lane.retract(TENANT, "evt-shared", this.user, other);

		awaitLastSeq(this.user, 2);
		awaitLastSeq(other, 2);
		assertThat(http().get("/v1/inbox", TestTokens.token(TENANT, other)).ok().get("notifications")).isEmpty();
	}

	@Test
	void aRetractionKeyedToAnotherUserIsDeadLetteredAndChangesNothing() {
		lane.deliver(TENANT, this.user, 1, 1);
		awaitLastSeq(1);
		RetractNotification retraction = new RetractNotification(RetractNotification.SCHEMA_VERSION, TENANT, eventOf(1),
				this.user, EventCancelled.BY_API, Instant.now(), List.of());

		lane.retract(TENANT + "|someone-else", retraction);

		String deadLetters = Topics.deadLetter(Topics.deliver(Channel.INAPP, io.herald.events.Lane.PRIORITY).name());
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(TopicContents.readAll(SharedInfra.kafka().bootstrapServers(), deadLetters))
				.anySatisfy((record) -> {
					assertThat(record.key()).isEqualTo(TENANT + "|someone-else");
					assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.DLT_REASON))
						.isEqualTo("invalid_record");
				}));
		assertThat(http().get("/v1/inbox", token()).ok().get("notifications")).hasSize(1);
	}

	@Test
	void pagesPassOverRetractedNotificationsAndRetractionsAcrossPageBoundaries() {
		lane.deliver(TENANT, this.user, 1, 6);
		lane.retract(TENANT, eventOf(2), this.user);
		lane.retract(TENANT, eventOf(3), this.user);
		lane.retract(TENANT, eventOf(5), this.user);
		awaitLastSeq(9);

		JsonNode first = http().get("/v1/inbox?limit=2", token()).ok();
		assertThat(seqs(first)).containsExactly(6L, 4L);
		assertThat(first.get("nextBefore").longValue()).isEqualTo(4);
		JsonNode second = http().get("/v1/inbox?limit=2&before=4", token()).ok();
		assertThat(seqs(second)).containsExactly(1L);
		assertThat(second.get("nextBefore").isNull()).isTrue();
		assertThat(seqs(http().get("/v1/inbox?limit=100&before=9223372036854775807", token()).ok())).containsExactly(6L,
				4L, 1L);
		assertThat(first.get("unread").longValue()).isEqualTo(3);
	}

	@Test
	void aPageAReplayAndAReadMarkReadTheStreamAndItsHiddenSeqsAtOneInstant() {
		lane.deliver(TENANT, this.user, 1, 3);
		lane.retract(TENANT, eventOf(2), this.user);
		awaitLastSeq(4);
		InboxKeys keys = InboxKeys.of(TENANT, this.user);

		List<String> commands;
		try (TestRedisMonitor monitor = TestRedisMonitor.start(SharedInfra.redis().host(),
				SharedInfra.redis().port())) {
			assertThat(seqs(http().get("/v1/inbox", token()).ok())).containsExactly(3L, 1L);
			try (TestSocket socket = connect()) {
				socket.next("hello");
				socket.send("{\"type\":\"resume\",\"since\":0}");
				assertThat(socket.until((frame) -> frame.get("type").stringValue().equals("resumed")))
					.extracting((frame) -> frame.get("type").stringValue())
					.containsExactly("notification", "retracted", "notification", "retracted", "resumed");
			}
			assertThat(http().post("/v1/inbox/read", token(), "{\"upTo\": 4}").ok().get("count").longValue()).isZero();
			commands = monitor.commandsNaming(keys.stream(), (marker) -> SharedInfra.redis().call("GET", marker));
		}

		// Whatever reads the stream is a script, which reads the hidden seqs in the same
		// step: no retraction or trim can come between the two.
		assertThat(commands).filteredOn((command) -> !TestRedisMonitor.ranByScript(command))
			.isNotEmpty()
			.allSatisfy((command) -> assertThat(command).containsAnyOf("\"EVALSHA\"", "\"EVAL\"", "\"evalsha\"",
					"\"eval\""));
		assertThat(commands).filteredOn(TestRedisMonitor::ranByScript)
			.anyMatch((command) -> command.contains("\"XRANGE\""))
			.anyMatch((command) -> command.contains("\"XREVRANGE\""));
	}

	/**
	 * The event of the {@code n}th notification of the lane's
	 * ({@code InAppLane.notification}).
	 */
	private String eventOf(int n) {
		return "evt-" + this.user + "-" + n;
	}

	private String notificationOf(int n) {
		return DeliverNotification.notificationId(eventOf(n), this.user, Channel.INAPP);
	}

	private static DeliverNotification forEvent(String user, String eventId) {
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, TENANT, eventId,
				DeliverNotification.notificationId(eventId, user, Channel.INAPP), user, Priority.HIGH, "order.shipped",
				new ChannelMessage.InApp("title", "body"), Map.of(), Instant.now(), null);
	}

	private static List<Long> seqs(JsonNode page) {
		return page.get("notifications").valueStream().map((item) -> item.get("seq").longValue()).toList();
	}

	private TestSocket connect() {
		return TestSocket.connect(this.port, token());
	}

	private String token() {
		return TestTokens.token(TENANT, this.user);
	}

	private TestHttp http() {
		return new TestHttp(this.port);
	}

	private void awaitLastSeq(long seq) {
		awaitLastSeq(this.user, seq);
	}

	private void awaitLastSeq(String user, long seq) {
		await().atMost(TIMEOUT)
			.until(() -> http().get("/v1/inbox/unread-count", TestTokens.token(TENANT, user))
				.json()
				.get("lastSeq")
				.longValue() == seq);
	}

	private List<StatusReported> statuses(DeliveryState state) {
		List<StatusReported> statuses = new ArrayList<>();
		TopicContents.readAll(SharedInfra.kafka().bootstrapServers(), Topics.STATUS.name())
			.stream()
			.map((record) -> Topics.STATUS.codec().decode(record.value()))
			.filter((status) -> status != null && status.tenant().equals(TENANT) && status.state() == state)
			.forEach((status) -> statuses.addAll(status.perUser()));
		return statuses.stream().filter((status) -> status.userId().equals(this.user)).toList();
	}

}
