package io.herald.gateway.session;

import io.herald.gateway.InAppLane;
import io.herald.gateway.TestSocket;
import io.herald.gateway.GatewayIntegrationTest;
import io.herald.gateway.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.core.Configuration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst into a client that stops reading: the gateway buffers at most the send buffer
 * for it, closes it as slow, and the client, reading again and resuming, gets everything
 * exactly once and in order. A burst far larger than the send buffer into a client that
 * keeps reading arrives whole: what did not fit is read from the inbox.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.kafka.partitions=4", "herald.gateway.session.send-buffer=64KB",
				"herald.gateway.session.send-timeout=3s",
				"herald.gateway.jwt.tenants[0].tenant=" + SlowClientIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET })
@DirtiesContext
class SlowClientIntegrationTests extends GatewayIntegrationTest {

	static final String TENANT = "t-slow";

	/** Enough to fill the sockets' buffers many times over. */
	private static final int BURST = 600;

	private static final String BODY = "x".repeat(32 * 1024);

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private Sessions sessions;

	@Autowired
	private WebServerApplicationContext context;

	@Autowired
	private SessionProperties properties;

	@Test
	void webSocketsAreUpgradedInFrontOfTheServletsWithSmallBuffersThatLargeFramesPassThroughInParts() {
		Server server = ((JettyWebServer) this.context.getWebServer()).getServer();
		assertThat(server.getDescendant(WebSocketUpgrades.class)).isNotNull();
		Configuration.ConfigurationCustomizer settings = WebSocketConfiguration.connectionSettings(this.properties);
		assertThat(settings.getInputBufferSize()).isEqualTo(2048);
		assertThat(settings.getOutputBufferSize()).isEqualTo(2048);
		// The frames of aClientThatStopsReadingIsClosedAndResumesWithoutLossOrDuplicates
		// are 16 times that.
		assertThat(BODY.length()).isGreaterThan(16 * 2048 - 1);
	}

	@Test
	void aClientThatStopsReadingIsClosedAndResumesWithoutLossOrDuplicates() {
		String user = this.user;
		String token = TestTokens.token(TENANT, user);
		try (TestSocket slow = TestSocket.connect(this.port, token);
				TestSocket reader = TestSocket.connect(this.port, token)) {
			slow.next("hello");
			reader.next("hello");
			slow.pause();
			for (int n = 1; n <= BURST; n++) {
				lane.deliver(InAppLane.notification(TENANT, user, n, BODY));
			}

			// Another connection of the same user keeps up: one slow device slows down no
			// other.
			assertThat(reader.seqsUpTo(BURST)).containsExactlyElementsOf(seqs(1, BURST));
			assertThat(this.meters.get("herald.gateway.session.lagged").counter().count()).isPositive();
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(
						this.meters.find("herald.gateway.session.closes").tag("reason", "slow_client").counter())
					.isNotNull());

			// The gateway let go of the slow session: only the reader's is left.
			await().atMost(Duration.ofSeconds(60)).until(() -> this.sessions.size() == 1);

			// The client reads again, notices the silence and reconnects, as the browser
			// client does.
			slow.resume();
			slow.close();
			List<JsonNode> before = slow.drain();
			List<Long> received = before.stream()
				.filter(TestSocket::isNotification)
				.map((frame) -> frame.get("seq").longValue())
				.toList();
			assertThat(received).isEqualTo(seqs(1, received.size()));
			assertThat(received).hasSizeLessThan(BURST);

			try (TestSocket resumed = TestSocket.connect(this.port, token)) {
				resumed.next("hello");
				resumed.send("{\"type\":\"resume\",\"since\":" + received.size() + "}");
				assertThat(resumed.seqsUpTo(BURST)).containsExactlyElementsOf(seqs(received.size() + 1, BURST));
			}
		}
	}

	private static List<Long> seqs(long from, long to) {
		return LongStream.rangeClosed(from, to).boxed().toList();
	}

}
