package io.herald.gateway.session;

import io.herald.gateway.GatewayIntegrationTest;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import io.herald.gateway.inbox.Inbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that reconnects, gets {@code hello} and only then sends {@code resume}: a
 * notification appended in between must reach it once, in its replay, not also live
 * before it. The window is long here so that the append surely falls inside it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.kafka.partitions=4", "herald.gateway.session.resume-window=20s",
				"herald.gateway.jwt.tenants[0].tenant=" + ResumeWindowIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET })
@DirtiesContext
class ResumeWindowIntegrationTests extends GatewayIntegrationTest {

	static final String TENANT = "t-window";

	@Autowired
	private Inbox inbox;

	@Test
	void aNotificationAppendedBetweenHelloAndResumeArrivesOnceInTheReplay() {
		lane.deliver(TENANT, this.user, 1, 2);
		await().atMost(TIMEOUT).until(() -> this.inbox.state(TENANT, this.user).lastSeq() == 2);
		try (TestSocket socket = TestSocket.connect(this.port, TestTokens.token(TENANT, this.user))) {
			assertThat(socket.next("hello").get("lastSeq").longValue()).isEqualTo(2);
			lane.deliver(TENANT, this.user, 3, 3);
			await().atMost(TIMEOUT).until(() -> this.inbox.state(TENANT, this.user).lastSeq() == 3);

			socket.send("{\"type\":\"resume\",\"since\":1}");

			List<JsonNode> frames = socket.until((frame) -> frame.get("type").stringValue().equals("resumed"));
			assertThat(frames)
				.extracting((frame) -> frame.get("type").stringValue() + ":"
						+ (frame.has("seq") ? frame.get("seq").longValue() : frame.get("upTo").longValue()))
				.containsExactly("notification:2", "notification:3", "resumed:3");
			lane.deliver(TENANT, this.user, 4, 4);
			assertThat(socket.next("notification").get("seq").longValue()).isEqualTo(4);
		}
	}

}
