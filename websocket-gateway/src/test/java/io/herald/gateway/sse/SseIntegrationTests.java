package io.herald.gateway.sse;

import io.herald.gateway.GatewayIntegrationTest;
import io.herald.gateway.TestHttp;
import io.herald.gateway.TestTokens;
import io.herald.gateway.sse.TestEventStream.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /v1/sse} (API.md section 3) read as a browser's {@code EventSource} reads
 * it, against a gateway on the shared broker and Redis. Notifications enter as routing
 * writes them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.inbox.max-length=20", "herald.kafka.partitions=4",
				"herald.gateway.session.max-connections-per-user=2", "herald.gateway.session.heartbeat=2s",
				"herald.gateway.jwt.tenants[0].tenant=" + SseIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET,
				"herald.gateway.jwt.tenants[1].tenant=t-sse-other",
				"herald.gateway.jwt.tenants[1].secret=" + SseIntegrationTests.OTHER_SECRET })
@DirtiesContext
class SseIntegrationTests extends GatewayIntegrationTest {

	static final String TENANT = "t-sse";

	static final String OTHER_SECRET = "other-secret-0123456789abcdef0123456789abcdef";

	private TestHttp http;

	private String token;

	@BeforeEach
	void newToken() {
		this.http = new TestHttp(this.port);
		this.token = TestTokens.token(TENANT, this.user);
	}

	@Test
	void streamIsAnEventStreamThatStartsWithHello() {
		try (TestEventStream stream = open("")) {
			assertThat(MediaType.parseMediaType(stream.header("Content-Type"))
				.isCompatibleWith(MediaType.TEXT_EVENT_STREAM)).as("Content-Type %s", stream.header("Content-Type"))
				.isTrue();
			assertThat(stream.header("Cache-Control")).contains("no-cache");
			Event hello = stream.next("hello");
			assertThat(hello.id()).as("hello is no notification, so it must not move Last-Event-ID").isNull();
			assertThat(hello.frame().get("user").stringValue()).isEqualTo(this.user);
			assertThat(hello.frame().get("lastSeq").longValue()).isZero();
			assertThat(hello.frame().get("unread").longValue()).isZero();
			assertThat(hello.frame().get("heartbeatSec").longValue()).isEqualTo(2);
			assertThat(hello.frame().get("session").stringValue()).isNotBlank();
		}
	}

	@Test
	void liveNotificationsArriveAsEventsWhoseIdIsTheirSeq() {
		// As browsers authenticate: EventSource cannot set headers.
		try (TestEventStream stream = TestEventStream
			.open(this.http.request("/v1/sse?access_token=" + this.token, null))) {
			stream.next("hello");
			lane.deliver(TENANT, this.user, 1, 3);
			List<Event> events = List.of(stream.next(), stream.next(), stream.next());
			assertThat(events).extracting(Event::id).containsExactly("1", "2", "3");
			assertThat(events).allSatisfy((event) -> {
				assertThat(event.type()).isEqualTo("notification");
				assertThat(event.seq()).isEqualTo(Long.parseLong(event.id()));
			});
			JsonNode first = events.get(0).frame();
			assertThat(first.get("title").stringValue()).isEqualTo("title 1");
			assertThat(first.get("body").stringValue()).isEqualTo("body 1");
			assertThat(first.get("eventId").stringValue()).isEqualTo("evt-" + this.user + "-1");
			assertThat(first.get("priority").stringValue()).isEqualTo("high");
			assertThat(first.get("data").get("n").intValue()).isEqualTo(1);
		}
	}

	@Test
	void sinceReplaysThenResumedThenLiveWithoutGapOrDuplicate() throws Exception {
		lane.deliver(TENANT, this.user, 1, 15);
		awaitLastSeq(15);
		try (TestEventStream stream = open("?since=4")) {
			// Notifications keep arriving while the replay runs.
			Thread writer = Thread.ofVirtual().start(() -> lane.deliver(TENANT, this.user, 16, 19));
			assertThat(stream.next().type()).isEqualTo("hello");
			List<Event> events = stream.until((event) -> event.isNotification() && event.seq() == 19);
			writer.join();
			List<Long> seqs = events.stream().filter(Event::isNotification).map(Event::seq).toList();
			assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(5, 19).boxed().toList());
			assertThat(events).filteredOn(Event::isNotification)
				.allSatisfy((event) -> assertThat(event.id()).isEqualTo(Long.toString(event.seq())));
			Event resumed = events.stream().filter((event) -> event.type().equals("resumed")).findFirst().orElseThrow();
			long upTo = resumed.frame().get("upTo").longValue();
			assertThat(upTo).isBetween(15L, 19L);
			assertThat(events.subList(0, events.indexOf(resumed))).allMatch((event) -> event.seq() <= upTo);
			assertThat(events.subList(events.indexOf(resumed) + 1, events.size()))
				.allMatch((event) -> event.seq() > upTo);
		}
	}

	@Test
	void lastEventIdResumesAsSinceDoes() {
		lane.deliver(TENANT, this.user, 1, 5);
		awaitLastSeq(5);
		try (TestEventStream stream = open("", "Last-Event-ID", "3")) {
			stream.next("hello");
			assertThat(stream.next("notification").id()).isEqualTo("4");
			assertThat(stream.next("notification").id()).isEqualTo("5");
			assertThat(stream.next("resumed").frame().get("upTo").longValue()).isEqualTo(5);
			lane.deliver(TENANT, this.user, 6, 6);
			assertThat(stream.next("notification").id()).isEqualTo("6");
		}
	}

	@Test
	void lastEventIdOfAReconnectWinsOverTheSinceOfTheUrlItReconnectsTo() {
		// EventSource reconnects to the URL it was created with, since included, adding
		// Last-Event-ID.
		lane.deliver(TENANT, this.user, 1, 5);
		awaitLastSeq(5);
		try (TestEventStream stream = open("?since=1", "Last-Event-ID", "4")) {
			stream.next("hello");
			assertThat(stream.next("notification").id()).isEqualTo("5");
			assertThat(stream.next("resumed").frame().get("upTo").longValue()).isEqualTo(5);
		}
	}

	@Test
	void sinceFromTrimmedHistoryOrANeverHandedOutSeqGetsResetThenResumed() {
		lane.deliver(TENANT, this.user, 1, 25);
		awaitLastSeq(25);
		try (TestEventStream stream = open("?since=2")) {
			stream.next("hello");
			JsonNode reset = stream.next("reset").frame();
			assertThat(reset.get("reason").stringValue()).isEqualTo("history_trimmed");
			assertThat(reset.get("oldestSeq").longValue()).isEqualTo(6);
			assertThat(stream.next("resumed").frame().get("upTo").longValue()).isEqualTo(25);
		}
		try (TestEventStream stream = open("?since=99")) {
			stream.next("hello");
			assertThat(stream.next("reset").frame().get("reason").stringValue()).isEqualTo("unknown_seq");
			assertThat(stream.next("resumed").frame().get("upTo").longValue()).isEqualTo(25);
			lane.deliver(TENANT, this.user, 26, 26);
			assertThat(stream.next("notification").id()).isEqualTo("26");
		}
	}

	@Test
	void sinceOrLastEventIdThatIsNotASeqIsA400Problem() {
		for (String since : List.of("abc", "-1", "1.5", "0x10", "99999999999999999999")) {
			TestEventStream.refused(this.http.request("/v1/sse?since=" + since, this.token))
				.assertProblem(400, "invalid_request");
		}
		TestEventStream.refused(this.http.request("/v1/sse", this.token).header("Last-Event-ID", "abc"))
			.assertProblem(400, "invalid_request");
		// None of them took one of the user's connections.
		try (TestEventStream one = open(""); TestEventStream two = open("")) {
			one.next("hello");
			two.next("hello");
		}
	}

	@Test
	void withoutAValidTokenTheStreamIsRefusedWith401AndWwwAuthenticate() {
		String expired = TestTokens.token(TENANT, this.user, Instant.now().minusSeconds(600), TestTokens.SECRET);
		String otherTenantsKey = TestTokens.token("t-sse-other", this.user, null, TestTokens.SECRET);
		TestEventStream.refused(this.http.request("/v1/sse", null)).assertInvalidToken();
		TestEventStream.refused(this.http.request("/v1/sse", "garbage")).assertInvalidToken();
		TestEventStream.refused(this.http.request("/v1/sse", expired)).assertInvalidToken();
		TestEventStream.refused(this.http.request("/v1/sse", otherTenantsKey)).assertInvalidToken();
		TestEventStream.refused(this.http.request("/v1/sse?access_token=garbage", null)).assertInvalidToken();
	}

	@Test
	void oneStreamMoreThanTheUsersLimitIsA429ProblemUntilAStreamCloses() {
		List<TestEventStream> streams = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				TestEventStream stream = open("");
				stream.next("hello");
				streams.add(stream);
			}
			TestEventStream.refused(this.http.request("/v1/sse", this.token))
				.assertProblem(429, "too_many_connections");
			// Another user is not affected.
			String someoneElse = TestTokens.token(TENANT, "u-" + UUID.randomUUID());
			try (TestEventStream other = TestEventStream.open(this.http.request("/v1/sse", someoneElse))) {
				other.next("hello");
			}
			// The gateway notices a dropped stream at its next heartbeat at the latest.
			streams.remove(0).close();
			await().atMost(TIMEOUT).untilAsserted(() -> {
				try (TestEventStream again = open("")) {
					again.next("hello");
				}
			});
		}
		finally {
			streams.forEach(TestEventStream::close);
		}
	}

	private TestEventStream open(String query) {
		return TestEventStream.open(this.http.request("/v1/sse" + query, this.token));
	}

	private TestEventStream open(String query, String header, String value) {
		HttpRequest.Builder request = this.http.request("/v1/sse" + query, this.token).header(header, value);
		return TestEventStream.open(request);
	}

	private void awaitLastSeq(long seq) {
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(
					this.http.get("/v1/inbox/unread-count", this.token).ok().get("lastSeq").longValue())
				.isEqualTo(seq));
	}

}
