package io.herald.routing.user;

import io.herald.infra.LogLines;
import io.herald.infra.RawHttp;
import io.herald.routing.RoutingApiIntegrationTest;
import io.herald.routing.RoutingTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every spelling of a user-API path passes the API key, or is refused before anything is
 * written.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsIntegrationTests extends RoutingApiIntegrationTest {

	private static final String PROFILE = "{\"email\": \"a@example.com\", \"timezone\": \"Europe/Berlin\"}";

	@Test
	void pathTricksNeverReachTheController(CapturedOutput output) {
		String user = "u-trick-" + UUID.randomUUID();
		byte[] body = PROFILE.getBytes(StandardCharsets.UTF_8);
		for (String target : List.of("/v1;x=y/users/" + user, "/%761/users/" + user, "//v1/users/" + user,
				"/v1/./users/" + user, "/x/../v1/users/" + user, "/v1/users/" + user + ";x=y", "/v1%5Cusers/" + user,
				"/v1/%75sers/" + user, "/v1/users/%2E%2E/" + user)) {
			for (boolean withKey : List.of(false, true)) {
				Map<String, String> headers = new LinkedHashMap<>();
				headers.put("Content-Type", "application/json");
				if (withKey) {
					headers.put("Authorization", "Bearer " + RoutingTestSupport.ACME_KEY);
				}
				RawHttp.Response response = RawHttp.send(this.port, "PUT", target, headers, body);
				assertThat(response.status()).as(target + " key=" + withKey).isIn(400, 401);
				assertThat(response.header("Content-Type")).as(target).startsWith("application/problem+json");
				if (withKey) {
					assertThat(response.status()).as(target).isEqualTo(400);
				}
			}
		}
		// Encoded slashes are let through here (Web Push tokens are URLs), but only
		// within a segment.
		assertThat(
				RawHttp.send(this.port, "PUT", "/v1%2Fusers/" + user, Map.of("Content-Type", "application/json"), body)
					.status())
			.isEqualTo(401);
		assertThat(RawHttp
			.send(this.port, "PUT", "/v1%2Fusers/" + user,
					Map.of("Content-Type", "application/json", "Authorization",
							"Bearer " + RoutingTestSupport.ACME_KEY),
					body)
			.status()).isEqualTo(404);
		String sentinel = "u-sentinel-" + UUID.randomUUID();
		assertThat(this.acme.put("/v1/users/" + sentinel, PROFILE).status()).isLessThan(300);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.acme.get("/v1/users/" + sentinel).status() == 200);
		assertThat(this.acme.get("/v1/users/" + user).status()).isEqualTo(404);
		assertThat(LogLines.errors(output.getAll())).isEmpty();
	}

	@Test
	void canonicalPathWithoutKeyIs401() {
		RawHttp.Response response = RawHttp.send(this.port, "PUT", "/v1/users/u-1",
				Map.of("Content-Type", "application/json"), PROFILE.getBytes(StandardCharsets.UTF_8));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).contains("\"code\":\"unauthorized\"");
	}

	@Test
	void encodedIdsStillReachTheirPathVariables() {
		String user = "alice+" + UUID.randomUUID() + "@example.com";
		String encoded = URLEncoder.encode(user, StandardCharsets.UTF_8);
		assertThat(this.acme.put("/v1/users/" + encoded, PROFILE).status()).isLessThan(300);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.acme.get("/v1/users/" + user).status() == 200);
		String webToken = URLEncoder.encode(DeviceValidatorTests.WEB_TOKEN, StandardCharsets.UTF_8);
		// The handler ran with the decoded token: the user has no such device.
		RoutingTestSupport.Response removal = this.acme.delete("/v1/users/" + encoded + "/devices/" + webToken);
		assertThat(removal.status()).isEqualTo(404);
		assertThat(removal.body()).contains("no device with this token");
	}

	@Test
	void oddRequestsGetAProblemDetailNeverA500(CapturedOutput output) {
		Map<String, String> key = Map.of("Authorization", "Bearer " + RoutingTestSupport.ACME_KEY);
		byte[] body = PROFILE.getBytes(StandardCharsets.UTF_8);
		expectProblem(RawHttp.send(this.port, "PUT", "/v1/users/u-1", key, body), 415, "unsupported_media_type");
		expectProblem(RawHttp.send(this.port, "PUT", "/v1/users/u-1",
				RawHttp.with(key, "Content-Type", "application/json"), new byte[] { (byte) 0xC3, 0x28, (byte) 0xFF }),
				400, "malformed_json");
		expectProblem(RawHttp.send(this.port, "PATCH", "/v1/users/u-1", key), 415, "unsupported_media_type");
		expectProblem(RawHttp.send(this.port, "PATCH", "/v1/users/u-1",
				RawHttp.with(key, "Content-Type", "application/merge-patch+json"), new byte[] { (byte) 0xC3, 0x28 }),
				400, "malformed_json");
		RawHttp.Response patch = RawHttp.send(this.port, "PATCH", "/v1/users/u-1/preferences", key);
		expectProblem(patch, 405, "method_not_allowed");
		assertThat(patch.header("Allow")).contains("PUT");
		assertThat(RawHttp.send(this.port, "TRACE", "/v1/users/u-1", key).status()).isEqualTo(405);
		expectProblem(RawHttp.send(this.port, "GET", "/v1/nothing-here", key), 404, "not_found");
		expectProblem(RawHttp.send(this.port, "GET", "/v1/users/u-1", RawHttp.with(key, "Accept", "text/csv")), 406,
				"not_acceptable");
		assertThat(RawHttp.send(this.port, "GET", "/v1/users/" + "x".repeat(20_000), key).status()).isBetween(400, 499);
		assertThat(LogLines.errors(output.getAll())).isEmpty();
	}

	private static void expectProblem(RawHttp.Response response, int status, String code) {
		assertThat(response.isProblem(status, code)).as("%s %s: %s", status, code, response).isTrue();
	}

}
