package io.herald.gateway.system;

import io.herald.gateway.GatewayIntegrationTest;
import io.herald.gateway.TestHttp;
import io.herald.gateway.TestTokens;
import io.herald.infra.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A web app on another origin uses the inbox API, SSE and the browser client: preflights
 * are answered without a token, answers (refusals included) carry the CORS headers a
 * browser needs to read them, and an origin that is not allowed gets none of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.jwt.tenants[0].tenant=" + BrowserOriginsIntegrationTests.TENANT,
				"herald.gateway.jwt.tenants[0].secret=" + TestTokens.SECRET,
				"herald.gateway.session.allowed-origins=" + BrowserOriginsIntegrationTests.APP })
@DirtiesContext
class BrowserOriginsIntegrationTests extends GatewayIntegrationTest {

	static final String TENANT = "t-origins";

	static final String APP = "https://app.example.com";

	private static final String OTHER = "https://elsewhere.example.com";

	@Test
	void preflightsAreAnsweredWithoutATokenForAnAllowedOrigin() {
		Map<String, String> methods = Map.of("/v1/inbox", "GET", "/v1/inbox/read", "POST", "/v1/inbox/unread-count",
				"GET", "/v1/sse", "GET", "/v1/inbox/preferences", "PUT");
		for (Map.Entry<String, String> method : methods.entrySet()) {
			String path = method.getKey();
			RawHttp.Response response = RawHttp.send(this.port, "OPTIONS", path,
					Map.of("Origin", APP, "Access-Control-Request-Method", method.getValue(),
							"Access-Control-Request-Headers", "authorization, content-type"));
			assertThat(response.status()).as(path).isEqualTo(200);
			assertThat(response.header("Access-Control-Allow-Origin")).as(path).isEqualTo(APP);
			assertThat(String.valueOf(response.header("Access-Control-Allow-Headers")).toLowerCase(Locale.ROOT))
				.as(path)
				.contains("authorization")
				.contains("content-type");
			assertThat(response.header("Access-Control-Max-Age")).as(path).isEqualTo("3600");
			assertThat(response.header("Access-Control-Allow-Credentials")).as(path).isNull();
		}
	}

	@Test
	void anOriginThatIsNotAllowedGetsNoCorsHeadersButAProblemDetail() {
		RawHttp.Response preflight = RawHttp.send(this.port, "OPTIONS", "/v1/inbox",
				Map.of("Origin", OTHER, "Access-Control-Request-Method", "GET"));
		assertThat(preflight.isProblem(403, "origin_not_allowed")).as(preflight.toString()).isTrue();
		assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();

		RawHttp.Response read = RawHttp.send(this.port, "GET", "/v1/inbox",
				Map.of("Origin", OTHER, "Authorization", "Bearer " + TestTokens.token(TENANT, this.user)));
		assertThat(read.isProblem(403, "origin_not_allowed")).as(read.toString()).isTrue();
		assertThat(read.header("Access-Control-Allow-Origin")).isNull();
		assertThat(read.body()).doesNotContain("notifications");

		RawHttp.Response method = RawHttp.send(this.port, "OPTIONS", "/v1/inbox",
				Map.of("Origin", APP, "Access-Control-Request-Method", "DELETE"));
		assertThat(method.isProblem(403, "origin_not_allowed")).as(method.toString()).isTrue();
	}

	@Test
	void aWebSocketFromAnOriginThatIsNotAllowedIsRefusedWithAProblemDetail() {
		Map<String, String> upgrade = Map.of("Authorization", "Bearer " + TestTokens.token(TENANT, this.user),
				"Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
				"Sec-WebSocket-Version", "13");
		RawHttp.Response refused = RawHttp.send(this.port, "GET", "/v1/ws", RawHttp.with(upgrade, "Origin", OTHER));
		assertThat(refused.isProblem(403, "origin_not_allowed")).as(refused.toString()).isTrue();
		assertThat(RawHttp.sendForHead(this.port, "GET", "/v1/ws", RawHttp.with(upgrade, "Origin", APP)).status())
			.isEqualTo(101);
	}

	@Test
	void answersToAnAllowedOriginCarryTheHeadersABrowserNeedsToReadThem() {
		String token = TestTokens.token(TENANT, this.user);
		RawHttp.Response inbox = RawHttp.send(this.port, "GET", "/v1/inbox",
				Map.of("Origin", APP, "Authorization", "Bearer " + token));
		assertThat(inbox.status()).isEqualTo(200);
		assertThat(inbox.header("Access-Control-Allow-Origin")).isEqualTo(APP);

		RawHttp.Response refused = RawHttp.send(this.port, "GET", "/v1/inbox", Map.of("Origin", APP));
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo(APP);
		assertThat(refused.header("Access-Control-Expose-Headers")).contains("WWW-Authenticate");

		RawHttp.Response client = RawHttp.send(this.port, "GET", "/herald-client.js", Map.of("Origin", APP));
		assertThat(client.status()).isEqualTo(200);
		assertThat(client.header("Access-Control-Allow-Origin")).isEqualTo(APP);
	}

	@Test
	void anEventStreamOpenedFromAnAllowedOriginCarriesTheHeaders() throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(
					"http://127.0.0.1:" + this.port + "/v1/sse?access_token=" + TestTokens.token(TENANT, this.user)))
			.header("Origin", APP)
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(30))
			.build();
		HttpResponse<InputStream> stream = TestHttp.CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = stream.body()) {
			assertThat(stream.statusCode()).isEqualTo(200);
			assertThat(stream.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
		}
	}

}
