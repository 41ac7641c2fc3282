package io.herald.gateway.system;

import io.herald.infra.LogLines;
import io.herald.gateway.OwnRedisGatewayTest;
import io.herald.gateway.TestHttp;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway while its Redis is down: every endpoint answers {@code 503} with
 * {@code Retry-After}, the WebSocket upgrade included, nothing logs a stack trace, and
 * once Redis is back everything works again. The Redis is not the shared one, so stopping
 * it harms no other test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.jwt.tenants[0].tenant=" + RedisOutageIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageIntegrationTests extends OwnRedisGatewayTest {

	static final String TENANT = "t-redis-outage";

	@Test
	void everyEndpointAnswers503WithRetryAfterWhileRedisIsDownAndRecoversWhenItIsBack(CapturedOutput output) {
		TestHttp http = new TestHttp(this.port);
		String token = TestTokens.token(TENANT, "u-" + UUID.randomUUID());
		http.get("/v1/inbox", token).ok();
		try (TestSocket socket = TestSocket.connect(this.port, token)) {
			socket.next("hello");
		}
		redis.stop();
		try {
			for (TestHttp.Response response : List.of(http.get("/v1/inbox", token),
					http.get("/v1/inbox?before=5&limit=3", token), http.get("/v1/inbox/unread-count", token),
					http.post("/v1/inbox/read", token, "{\"upTo\":1}"),
					http.post("/v1/inbox/ack", token, "{\"upTo\":1}"), sse(http, token))) {
				response.assertProblem(503, "service_unavailable");
				assertThat(response.header("Retry-After")).as("Retry-After of %s", response.request()).isEqualTo("5");
			}
			assertThat(TestSocket.refusedStatus(this.port, token)).isEqualTo(503);
		}
		finally {
			redis.start();
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(http.get("/v1/inbox", token).status()).isEqualTo(200));
		assertThat(http.post("/v1/inbox/read", token, "{\"upTo\":1}").ok().get("lastSeq").longValue()).isZero();
		try (TestSocket socket = TestSocket.connect(this.port, token)) {
			assertThat(socket.next("hello").get("lastSeq").longValue()).isZero();
		}
		assertThat(output.getAll()).doesNotContain("Unexpected failure");
		assertThat(LogLines.errors(output.getAll())).isEmpty();
	}

	private static TestHttp.Response sse(TestHttp http, String token) {
		return TestHttp.send(http.request("/v1/sse", token).header("Accept", "text/event-stream").GET());
	}

}
