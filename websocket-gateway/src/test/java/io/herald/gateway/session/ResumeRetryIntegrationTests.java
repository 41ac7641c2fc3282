package io.herald.gateway.session;

import io.herald.gateway.OwnRedisGatewayTest;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import io.herald.gateway.inbox.Inbox;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code resume} whose inbox read fails, as in a reconnect storm that makes Redis
 * slower than the command timeout: the gateway tries again itself and the client gets its
 * whole gap, in order and once, then live notifications, with no error to act on. The
 * Redis is frozen (SIGSTOP), not emptied, and is this class's own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.kafka.partitions=4", "spring.data.redis.timeout=1s",
				"herald.gateway.jwt.tenants[0].tenant=" + ResumeRetryIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET })
@DirtiesContext
class ResumeRetryIntegrationTests extends OwnRedisGatewayTest {

	static final String TENANT = "t-resume-retry";

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Autowired
	private Inbox inbox;

	@Autowired
	private MeterRegistry meters;

	@Test
	void aResumeThatRedisCannotAnswerIsRetriedUntilItReplaysTheWholeGapOnceAndInOrder() {
		String user = "u-" + UUID.randomUUID();
		lane.deliver(TENANT, user, 1, 5);
		await().atMost(TIMEOUT).until(() -> this.inbox.state(TENANT, user).lastSeq() == 5);
		try (TestSocket socket = TestSocket.connect(this.port, TestTokens.token(TENANT, user))) {
			assertThat(socket.next("hello").get("lastSeq").longValue()).isEqualTo(5);
			redis.pause();
			try {
				socket.send("{\"type\":\"resume\",\"since\":2}");
				await().atMost(TIMEOUT).until(() -> retries() >= 2);
			}
			finally {
				redis.resume();
			}
			List<JsonNode> frames = socket.until((frame) -> frame.get("type").stringValue().equals("resumed"));
			assertThat(frames)
				.extracting((frame) -> frame.get("type").stringValue() + ":"
						+ (frame.has("seq") ? frame.get("seq").longValue() : frame.get("upTo").longValue()))
				.containsExactly("notification:3", "notification:4", "notification:5", "resumed:5");
			lane.deliver(TENANT, user, 6, 6);
			assertThat(socket.next("notification").get("seq").longValue()).isEqualTo(6);
		}
	}

	private double retries() {
		return this.meters.find("herald.gateway.resumes")
			.tag("outcome", "retried")
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

}
