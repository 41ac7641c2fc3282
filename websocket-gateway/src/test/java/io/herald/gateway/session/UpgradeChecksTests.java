package io.herald.gateway.session;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpgradeChecksTests {

	private static final URI GATEWAY = URI.create("http://gateway.example.com");

	private final UpgradeChecks checks = new UpgradeChecks(List.of("https://app.example.com"));

	@Test
	void aWebSocketUpgradeFromAnAllowedOriginOrNoneGoesOn() {
		assertThat(this.checks.refusal("GET", upgrade(), GATEWAY)).isNull();
		HttpHeaders fromApp = upgrade();
		fromApp.add("Origin", "https://app.example.com");
		assertThat(this.checks.refusal("GET", fromApp, GATEWAY)).isNull();
		HttpHeaders keepAlive = upgrade();
		keepAlive.set("Connection", "keep-alive, Upgrade");
		assertThat(this.checks.refusal("GET", keepAlive, GATEWAY)).isNull();
		HttpHeaders lowerCase = upgrade();
		lowerCase.set("Connection", "upgrade");
		lowerCase.set("Upgrade", "WebSocket");
		assertThat(this.checks.refusal("GET", lowerCase, GATEWAY)).isNull();
	}

	@Test
	void aPageOfTheGatewaysOwnOriginGoesOnWhateverTheAllowedOrigins() {
		HttpHeaders own = upgrade();
		own.add("Origin", "http://gateway.example.com");
		assertThat(this.checks.refusal("GET", own, GATEWAY)).isNull();
		assertThat(this.checks.refusal("GET", own, URI.create("ws://gateway.example.com:80"))).isNull();
		HttpHeaders otherPort = upgrade();
		otherPort.add("Origin", "http://gateway.example.com:8080");
		assertThat(this.checks.refusal("GET", otherPort, GATEWAY)).isNotNull();
		HttpHeaders secure = upgrade();
		secure.add("Origin", "https://gateway.example.com");
		assertThat(this.checks.refusal("GET", secure, URI.create("https://gateway.example.com:443"))).isNull();
	}

	@Test
	void whatIsNoWebSocketUpgradeIsAnInvalidRequest() {
		for (String header : List.of("Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version")) {
			HttpHeaders headers = upgrade();
			headers.remove(header);
			assertThat(this.checks.refusal("GET", headers, GATEWAY)).as(header)
				.satisfies((refusal) -> assertThat(refusal.problem().getProperties()).containsEntry("code",
						"invalid_request"));
		}
	}

	@Test
	void anotherVersionIsRefusedNamingTheOneSpoken() {
		HttpHeaders headers = upgrade();
		headers.set("Sec-WebSocket-Version", "8");
		UpgradeChecks.Refusal refusal = this.checks.refusal("GET", headers, GATEWAY);
		assertThat(refusal.problem().getStatus()).isEqualTo(400);
		assertThat(refusal.headers().getFirst("Sec-WebSocket-Version")).isEqualTo("13");
	}

	@Test
	void anotherMethodIsNotAllowed() {
		UpgradeChecks.Refusal refusal = this.checks.refusal("POST", upgrade(), GATEWAY);
		assertThat(refusal.problem().getProperties()).containsEntry("code", "method_not_allowed");
		assertThat(refusal.headers().getFirst("Allow")).isEqualTo("GET");
	}

	@Test
	void anOriginThatIsNotAllowedIsRefused() {
		for (String origin : List.of("https://elsewhere.example.com", "null", "not a url")) {
			HttpHeaders headers = upgrade();
			headers.add("Origin", origin);
			UpgradeChecks.Refusal refusal = this.checks.refusal("GET", headers, GATEWAY);
			assertThat(refusal.problem().getStatus()).as(origin).isEqualTo(403);
			assertThat(refusal.problem().getProperties()).containsEntry("code", "origin_not_allowed");
		}
	}

	private static HttpHeaders upgrade() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("Upgrade", "websocket");
		headers.add("Connection", "Upgrade");
		headers.add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
		headers.add("Sec-WebSocket-Version", "13");
		return headers;
	}

}
