package io.herald.localstack;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoHintsTests {

	private final LocalStackSettings settings = LocalStackSettings
		.fromEnvironment(Map.of("HERALD_DATA_DIR", "/data", "HERALD_WARMUP", "0"), Path.of("/repo"), Path.of("/"));

	private final DemoHints hints = new DemoHints(this.settings, "http://127.0.0.1:8090", "operator-token");

	@Test
	void showACurlCommandWithTheDemoKey() {
		assertThat(this.hints.text())
			.contains("curl -s -X POST localhost:8080/v1/events -H 'Authorization: Bearer demo-key'");
	}

	@Test
	void withTheGatewayLinkTheDemoUsersInboxWithAValidTokenInTheFragment() throws Exception {
		Matcher link = Pattern.compile("http://127\\.0\\.0\\.1:8082/demo/inbox\\.html#token=(\\S+)")
			.matcher(this.hints.text());
		assertThat(link.find()).as(this.hints.text()).isTrue();
		SignedJWT token = SignedJWT.parse(link.group(1));
		assertThat(token.verify(new MACVerifier(LocalStackSettings.DEFAULT_DEMO_JWT_SECRET))).isTrue();
		assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("demo-user");
		assertThat(token.getJWTClaimsSet().getStringClaim("tid")).isEqualTo("demo");
		assertThat(token.getJWTClaimsSet().getExpirationTime()).isInTheFuture();
	}

	@Test
	void withTheGatewaySendTheDemoUserAnInAppNotification() {
		assertThat(this.hints.text())
			.contains("curl -s -X POST localhost:8080/v1/events -H 'Authorization: Bearer demo-key' "
					+ "-H 'Content-Type: application/json' -d '{\"type\":\"demo.hello\",\"recipients\":{\"users\":[\"demo-user\"]},"
					+ "\"channels\":[\"inapp\"],\"content\":{\"title\":\"Hi\",\"body\":\"Hello\"}}'");
	}

	@Test
	void withoutTheGatewayHaveNoInboxLinkAndSendAnEventToAnyUser() {
		LocalStackSettings ingestionOnly = LocalStackSettings.fromEnvironment(
				Map.of("HERALD_DATA_DIR", "/data", "HERALD_SERVICES", "ingestion"), Path.of("/repo"), Path.of("/"));
		String hint = new DemoHints(ingestionOnly, null, "operator-token").text();
		assertThat(hint).doesNotContain("inbox.html").doesNotContain("operator token").contains("\"users\":[\"u-1\"]");
	}

	@Test
	void withTheSandboxesGiveTheDemoUserContactPointsAndDevicesThenSendHerAnEvent() {
		assertThat(this.hints.text()).contains("see them at http://127.0.0.1:8090")
			.contains("curl -s -X PUT localhost:8081/v1/users/demo-user -H 'Authorization: Bearer demo-key'")
			.contains("\"phone\":\"+4915112345678\"")
			.contains("\"platform\":\"ios\",\"token\":\"" + DemoHints.DEMO_IOS_TOKEN + "\"")
			.contains("\"platform\":\"android\",\"token\":\"" + DemoHints.DEMO_ANDROID_TOKEN + "\"")
			.contains("\"body\":\"Hello on every channel\"");
	}

	@Test
	void withoutTheSandboxesSayNothingOfOtherChannels() {
		assertThat(new DemoHints(this.settings, null, "operator-token").text()).doesNotContain("see them at")
			.doesNotContain("/devices");
	}

	@Test
	void withDeliveryShowHowToUseTheOperatorTokenOnItsManagementPort() {
		assertThat(this.hints.text())
			.contains("curl -s localhost:9083/actuator/lanes -H 'Authorization: Bearer operator-token'")
			.endsWith("Press Ctrl-C to stop everything.");
	}

}
