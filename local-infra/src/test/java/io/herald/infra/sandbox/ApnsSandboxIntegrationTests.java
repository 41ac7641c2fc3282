package io.herald.infra.sandbox;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives {@link ApnsSandbox} with a real pushy client over HTTP/2 and TLS, with token
 * authentication.
 */
class ApnsSandboxIntegrationTests {

	private static ApnsSandbox sandbox;

	private static ApnsClient client;

	@BeforeAll
	static void start(@TempDir Path files) throws Exception {
		sandbox = ApnsSandbox.start();
		List<Path> written = sandbox.writeFiles(files);
		client = new ApnsClientBuilder().setApnsServer(sandbox.host(), sandbox.port())
			.setTrustedServerCertificateChain(written.get(0).toFile())
			.setSigningKey(
					ApnsSigningKey.loadFromPkcs8File(written.get(1).toFile(), ApnsSandbox.TEAM_ID, ApnsSandbox.KEY_ID))
			.build();
	}

	@AfterAll
	static void stop() throws Exception {
		client.close().get(10, TimeUnit.SECONDS);
		sandbox.close();
	}

	@Test
	void acceptsAndRecordsANotificationWithItsIds() throws Exception {
		String token = token("1a");
		UUID apnsId = UUID.randomUUID();
		PushNotificationResponse<SimpleApnsPushNotification> response = send(token, apnsId);

		assertThat(response.isAccepted()).isTrue();
		assertThat(response.getApnsId()).isEqualTo(apnsId);
		assertThat(sandbox.notifications()).filteredOn((n) -> n.token().equals(token))
			.singleElement()
			.satisfies((n) -> {
				assertThat(n.apnsId()).isEqualTo(apnsId.toString());
				assertThat(n.collapseId()).isEqualTo("collapse-1");
				assertThat(n.topic()).isEqualTo("io.herald.demo");
				assertThat(n.priority()).isEqualTo("10");
				assertThat(n.title()).isEqualTo("Hello");
				assertThat(n.body()).isEqualTo("World");
			});
	}

	@Test
	void deadAndMalformedTokensAreRejectedAsApnsDoes() throws Exception {
		PushNotificationResponse<SimpleApnsPushNotification> dead = send(
				ApnsSandbox.DEAD_TOKEN_PREFIX + token("00").substring(4), UUID.randomUUID());
		assertThat(dead.getStatusCode()).isEqualTo(410);
		assertThat(dead.getRejectionReason()).contains("Unregistered");
		assertThat(dead.getTokenInvalidationTimestamp()).isPresent();

		PushNotificationResponse<SimpleApnsPushNotification> malformed = send("not-a-token", UUID.randomUUID());
		assertThat(malformed.getStatusCode()).isEqualTo(400);
		assertThat(malformed.getRejectionReason()).contains("BadDeviceToken");
	}

	@Test
	void plannedFailuresComeFirstThenNotificationsFlowAgain() throws Exception {
		sandbox.failNext(1, ApnsFailure.SERVICE_UNAVAILABLE);
		PushNotificationResponse<SimpleApnsPushNotification> unavailable = send(token("2b"), UUID.randomUUID());
		assertThat(unavailable.getStatusCode()).isEqualTo(503);
		assertThat(unavailable.getRejectionReason()).contains("ServiceUnavailable");

		assertThat(send(token("2b"), UUID.randomUUID()).isAccepted()).isTrue();
	}

	private static PushNotificationResponse<SimpleApnsPushNotification> send(String token, UUID apnsId)
			throws Exception {
		String payload = new SimpleApnsPayloadBuilder().setAlertTitle("Hello").setAlertBody("World").build();
		return client
			.sendNotification(new SimpleApnsPushNotification(token, "io.herald.demo", payload, null,
					DeliveryPriority.IMMEDIATE, PushType.ALERT, "collapse-1", apnsId))
			.get(30, TimeUnit.SECONDS);
	}

	private static String token(String prefix) {
		byte[] bytes = new byte[31];
		new java.util.Random().nextBytes(bytes);
		return prefix + HexFormat.of().formatHex(bytes);
	}

}
