package io.herald.gateway.session;

import io.herald.gateway.GatewayIntegrationTest;
import io.herald.gateway.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that connects and then goes silent (no frames, no pongs: a dead network path)
 * is closed after two heartbeats, and its connection stops counting against the user's
 * limit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.kafka.partitions=4", "herald.gateway.session.heartbeat=1s",
				"herald.gateway.jwt.tenants[0].tenant=" + DeadConnectionIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET })
@DirtiesContext
class DeadConnectionIntegrationTests extends GatewayIntegrationTest {

	static final String TENANT = "t-dead";

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private Sessions sessions;

	@Test
	void aSilentClientIsClosedAfterTwoHeartbeats() throws Exception {
		String token = TestTokens.token(TENANT, "u-" + UUID.randomUUID());
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			String key = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().substring(0, 16).getBytes());
			out.write(("GET /v1/ws?access_token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
					+ "\r\nSec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
			assertThat(response).isEqualTo("HTTP/1.1 101");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.sessions.size() == 1);

			// Never answers a ping: the gateway gives up on it and closes the socket.
			socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
			while (in.read() != -1) {
				// hello, pings and finally a close frame
			}
		}
		assertThat(
				this.meters.get("herald.gateway.session.closes").tag("reason", "heartbeat_timeout").counter().count())
			.isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.sessions.size() == 0);
	}

}
