package io.herald.gateway.auth;

import io.herald.infra.LogLines;
import io.herald.gateway.GatewayIntegrationTest;
import io.herald.gateway.TestTokens;
import io.herald.infra.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spelling of the gateway's paths (inbox API, SSE, the WebSocket handshake) passes
 * the user token, or is refused before a handler runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.jwt.tenants[0].tenant=" + HostileRequestsIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET, "management.server.port=0",
				"management.endpoints.web.exposure.include=health,loggers",
				"herald.management.operator-token-sha256=" + HostileRequestsIntegrationTests.OPERATOR_TOKEN_SHA256 })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsIntegrationTests extends GatewayIntegrationTest {

	static final String TENANT = "t-hostile";

	private static final String OPERATOR_TOKEN = "operator-token-aBcDeFgH";

	/** SHA-256 of {@link #OPERATOR_TOKEN}, as the operator configures it. */
	static final String OPERATOR_TOKEN_SHA256 = "72f1fdf2acfb89c2448cf59ffd77fc996dc572e5f245230bfb3dd25bba865aea";

	@LocalManagementPort
	int managementPort;

	private static final Map<String, String> UPGRADE = Map.of("Upgrade", "websocket", "Connection", "Upgrade",
			"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13");

	@Test
	void pathTricksAreRefusedBeforeAnyHandler(CapturedOutput output) {
		String token = TestTokens.token(TENANT, this.user);
		byte[] read = "{\"upTo\": 1}".getBytes(StandardCharsets.UTF_8);
		for (String path : List.of("/v1/inbox/read", "/v1/sse", "/v1/ws")) {
			String rest = path.substring("/v1".length());
			for (String target : List.of("/v1;x=y" + rest, "/%761" + rest, "/" + path, "/./v1" + rest, "/x/.." + path,
					path + ";x=y", "/v1%2F" + rest.substring(1), "/v1%5C" + rest.substring(1), "/v1/%2E" + rest)) {
				for (String presented : List.of("", token)) {
					Map<String, String> headers = new LinkedHashMap<>();
					if (path.endsWith("/ws")) {
						headers.putAll(UPGRADE);
					}
					else {
						headers.put("Content-Type", "application/json");
					}
					if (!presented.isEmpty()) {
						headers.put("Authorization", "Bearer " + presented);
					}
					boolean post = path.endsWith("/read");
					RawHttp.Response response = RawHttp.send(this.port, post ? "POST" : "GET", target, headers,
							post ? read : new byte[0]);
					assertThat(response.status()).as(target).isEqualTo(400);
					assertThat(response.header("Content-Type")).as(target).startsWith("application/problem+json");
					assertThat(response.body()).as(target).contains("\"code\":\"invalid_request_target\"");
				}
			}
		}
		assertThat(LogLines.errors(output.getAll())).isEmpty();
	}

	@Test
	void canonicalPathsWithoutTokenAre401() {
		for (String target : List.of("/v1/ws", "/v1/sse", "/v1/inbox", "/V1/ws", "/v1", "/", "/anything")) {
			RawHttp.Response response = RawHttp.send(this.port, "GET", target, UPGRADE);
			assertThat(response.status()).as(target).isEqualTo(401);
			assertThat(response.body()).as(target).contains("\"code\":\"invalid_token\"");
		}
	}

	@Test
	void browserClientIsServedWithoutToken() {
		assertThat(RawHttp.send(this.port, "GET", "/herald-client.js", Map.of()).status()).isEqualTo(200);
		assertThat(RawHttp.send(this.port, "GET", "/demo/inbox.html", Map.of()).status()).isEqualTo(200);
	}

	@Test
	void oddRequestsGetAProblemDetailNeverA500(CapturedOutput output) {
		Map<String, String> auth = Map.of("Authorization", "Bearer " + TestTokens.token(TENANT, this.user));
		byte[] read = "{\"upTo\": 1}".getBytes(StandardCharsets.UTF_8);
		expectProblem(RawHttp.send(this.port, "POST", "/v1/inbox/read", auth, read), 415, "unsupported_media_type");
		expectProblem(RawHttp.send(this.port, "POST", "/v1/inbox/read",
				RawHttp.with(auth, "Content-Type", "application/json"), new byte[] { (byte) 0xC3, 0x28, (byte) 0xFF }),
				400, "malformed_json");
		RawHttp.Response put = RawHttp.send(this.port, "PUT", "/v1/inbox/read", auth);
		expectProblem(put, 405, "method_not_allowed");
		assertThat(put.header("Allow")).contains("POST");
		assertThat(RawHttp.send(this.port, "TRACE", "/v1/inbox", auth).status()).isEqualTo(405);
		expectProblem(RawHttp.send(this.port, "GET", "/v1/nothing-here", auth), 404, "not_found");
		expectProblem(RawHttp.send(this.port, "GET", "/v1/inbox", RawHttp.with(auth, "Accept", "text/csv")), 406,
				"not_acceptable");
		expectProblem(RawHttp.send(this.port, "GET", "/v1/sse", RawHttp.with(auth, "Accept", "application/json")), 406,
				"not_acceptable");
		assertThat(RawHttp.send(this.port, "GET", "/v1/inbox?x=" + "y".repeat(20_000), auth).status()).isBetween(400,
				499);
		assertThat(LogLines.errors(output.getAll())).isEmpty();
	}

	/**
	 * Jetty keeps the header fields it has seen on a connection and, by default, matches
	 * the next request's fields against them ignoring case: a token that differed from an
	 * earlier one only in the case of a letter of its signature was read as the earlier,
	 * valid one. Every field is read as sent, on the API's port and on the actuator's.
	 */
	@Test
	void aTokenThatDiffersOnlyInTheCaseOfALetterIsRefusedOnTheSameConnection() throws Exception {
		String token = TestTokens.token(TENANT, this.user);
		String altered = withOneLettersCaseChanged(token);
		String operatorAltered = OPERATOR_TOKEN.toLowerCase(Locale.ROOT);
		try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			for (int round = 0; round < 3; round++) {
				assertThat(get(client, this.port, "/v1/inbox", token).statusCode()).isEqualTo(200);
				HttpResponse<String> refused = get(client, this.port, "/v1/inbox", altered);
				assertThat(refused.statusCode()).as("round %d: %s", round, refused.body()).isEqualTo(401);
				assertThat(refused.body()).contains("\"code\":\"invalid_token\"");
				assertThat(get(client, this.managementPort, "/actuator/loggers", OPERATOR_TOKEN).statusCode())
					.isEqualTo(200);
				HttpResponse<String> forbidden = get(client, this.managementPort, "/actuator/loggers", operatorAltered);
				assertThat(forbidden.statusCode()).as("round %d", round).isEqualTo(403);
				assertThat(forbidden.body()).contains("\"code\":\"operator_forbidden\"");
			}
		}
	}

	private static HttpResponse<String> get(HttpClient client, int port, String path, String token) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The token with the case of its signature's first letter changed. */
	private static String withOneLettersCaseChanged(String token) {
		char[] chars = token.toCharArray();
		for (int i = token.lastIndexOf('.') + 1; i < chars.length; i++) {
			if (Character.isLetter(chars[i])) {
				chars[i] = Character.isUpperCase(chars[i]) ? Character.toLowerCase(chars[i])
						: Character.toUpperCase(chars[i]);
				return new String(chars);
			}
		}
		throw new IllegalStateException("A signature without a letter: " + token);
	}

	private static void expectProblem(RawHttp.Response response, int status, String code) {
		assertThat(response.isProblem(status, code)).as("%s %s: %s", status, code, response).isTrue();
	}

}
