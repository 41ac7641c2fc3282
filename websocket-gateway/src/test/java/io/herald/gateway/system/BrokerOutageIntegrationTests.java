package io.herald.gateway.system;

import io.herald.events.DeliveryState;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.gateway.InAppLane;
import io.herald.gateway.TestHttp;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import io.herald.infra.KafkaBroker;
import io.herald.infra.LogLines;
import io.herald.infra.SharedInfra;
import io.herald.infra.TopicContents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway while its broker is down: an acknowledgement over HTTP, whose statuses must
 * reach the broker, answers {@code 503} with {@code Retry-After} instead of a
 * {@code 500}, records nothing, and succeeds once the broker is back; a read, the user's
 * own action, stands, and only its statuses are lost (counted). The broker is this
 * class's own; the tests stop it one at a time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.jwt.tenants[0].tenant=" + BrokerOutageIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET, "herald.gateway.inbox.status-timeout=3s" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class BrokerOutageIntegrationTests {

	static final String TENANT = "t-broker-outage";

	private static final KafkaBroker broker = KafkaBroker.builder().build().start();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", broker::bootstrapServers);
		registry.add("spring.data.redis.port", () -> SharedInfra.redis().port());
	}

	@AfterAll
	static void closeBroker() {
		broker.close();
	}

	@Test
	void acknowledgingWhileTheBrokerIsDownIs503AndWorksOnceItIsBack(CapturedOutput output) {
		TestHttp http = new TestHttp(this.port);
		String user = "u-" + UUID.randomUUID();
		String token = TestTokens.token(TENANT, user);
		try (InAppLane lane = new InAppLane(broker.bootstrapServers())) {
			lane.deliver(TENANT, user, 1, 1);
		}
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(http.get("/v1/inbox/unread-count", token).ok().get("count").longValue())
				.isEqualTo(1));

		broker.stop();
		try {
			TestHttp.Response down = http.post("/v1/inbox/ack", token, "{\"upTo\":1}");
			down.assertProblem(503, "service_unavailable");
			assertThat(down.header("Retry-After")).isEqualTo("5");
		}
		finally {
			broker.start();
		}

		TestHttp.Response acknowledged = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> http.post("/v1/inbox/ack", token, "{\"upTo\":1}"), (response) -> response.status() != 503);
		assertThat(acknowledged.status()).isEqualTo(200);
		assertThat(acknowledged.ok().get("ackedUpTo").longValue()).isEqualTo(1);
		assertThat(output.getAll()).doesNotContain("Unexpected failure");
		assertThat(LogLines.errors(output.getAll()).stream().filter((line) -> line.contains(" i.h.")).toList())
			.as("Herald's own errors")
			.isEmpty();
	}

	@Test
	void aReadWhileTheBrokerIsDownStandsOnEveryDeviceAndOnlyItsStatusesAreLostAndCounted(CapturedOutput output) {
		TestHttp http = new TestHttp(this.port);
		String user = "u-" + UUID.randomUUID();
		String token = TestTokens.token(TENANT, user);
		try (InAppLane lane = new InAppLane(broker.bootstrapServers())) {
			lane.deliver(TENANT, user, 1, 3);
		}
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(http.get("/v1/inbox/unread-count", token).ok().get("count").longValue())
				.isEqualTo(3));
		double unreportedBefore = unreported();

		try (TestSocket phone = TestSocket.connect(this.port, token)) {
			phone.next("hello");
			broker.stop();
			try {
				JsonNode read = http.post("/v1/inbox/read", token, "{\"upTo\":2}").ok();
				assertThat(read.get("count").longValue()).isEqualTo(1);
				assertThat(read.get("readUpTo").longValue()).isEqualTo(2);
				assertThat(phone.next("unread").get("count").longValue()).isEqualTo(1);

				phone.send("{\"type\":\"read\",\"upTo\":3}");
				JsonNode unread = phone.next();
				assertThat(unread.get("type").stringValue()).as("frame %s", unread).isEqualTo("unread");
				assertThat(unread.get("count").longValue()).isZero();
				assertThat(unread.get("readUpTo").longValue()).isEqualTo(3);

				// The cursor stays where the user put it: the count never jumps back.
				JsonNode state = http.get("/v1/inbox/unread-count", token).ok();
				assertThat(state.get("count").longValue()).isZero();
				assertThat(state.get("readUpTo").longValue()).isEqualTo(3);
				assertThat(unreported() - unreportedBefore).isEqualTo(3);
			}
			finally {
				broker.start();
			}
			assertThat(phone.drain()).noneMatch((frame) -> frame.get("type").stringValue().equals("error"));
		}
		assertThat(output.getAll().lines().filter((line) -> line.contains("Could not report")))
			.as("one WARN line for the outage")
			.singleElement()
			.asString()
			.contains("WARN");

		try (InAppLane lane = new InAppLane(broker.bootstrapServers())) {
			lane.deliver(TENANT, user, 4, 4);
		}
		// The gateway writes statuses again: the delivered one of the new notification is
		// in.
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(statuses(user, DeliveryState.DELIVERED)).contains(4L));
		assertThat(http.post("/v1/inbox/read", token, "{\"upTo\":4}").ok().get("count").longValue()).isZero();
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(statuses(user, DeliveryState.READ)).contains(4L));
		assertThat(unreported() - unreportedBefore).isEqualTo(3);
		assertThat(output.getAll()).contains("Read statuses are reported again");
		assertThat(LogLines.errors(output.getAll()).stream().filter((line) -> line.contains(" i.h.")).toList())
			.as("Herald's own errors")
			.isEmpty();
	}

	private double unreported() {
		Counter unreported = this.meters.find("herald.gateway.inbox.reads.unreported").counter();
		return (unreported != null) ? unreported.count() : 0;
	}

	/** The seqs of the user's statuses of a state in the status topic. */
	private static List<Long> statuses(String user, DeliveryState state) {
		return TopicContents.readAll(broker.bootstrapServers(), Topics.STATUS.name())
			.stream()
			.map((record) -> Topics.STATUS.codec().decode(record.value()))
			.filter((status) -> status != null && status.state() == state)
			.flatMap((status) -> status.perUser().stream())
			.filter((status) -> status.userId().equals(user))
			.map(StatusReported::seq)
			.toList();
	}

}
