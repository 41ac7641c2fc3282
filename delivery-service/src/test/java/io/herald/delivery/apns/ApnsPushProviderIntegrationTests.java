package io.herald.delivery.apns;

import io.herald.delivery.Lanes;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.RejectionCause;
import io.herald.delivery.provider.Send;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.Priority;
import io.herald.infra.sandbox.ApnsFailure;
import io.herald.infra.sandbox.ApnsSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ApnsPushProvider} against the APNs sandbox: every answer class, as an outcome.
 */
class ApnsPushProviderIntegrationTests {

	private static ApnsSandbox sandbox;

	private static ApnsPushProvider provider;

	@BeforeAll
	static void start(@TempDir Path files) {
		sandbox = ApnsSandbox.start();
		List<Path> written = sandbox.writeFiles(files);
		provider = new ApnsPushProvider(new ApnsProperties.Account("apns", sandbox.host(), sandbox.port(),
				"io.herald.demo", written.get(1), ApnsSandbox.TEAM_ID, ApnsSandbox.KEY_ID, null, null, written.get(0),
				Duration.ofSeconds(10), 1, 16, 0));
	}

	@AfterAll
	static void stop() {
		provider.close();
		sandbox.close();
	}

	@Test
	void anAcceptedNotificationIsSentWithTheSendsStableIdAsApnsId() throws Exception {
		Send send = send(token());
		assertThat(outcome(send)).isEqualTo(new DeliveryOutcome.Sent(send.stableId()));
		assertThat(outcome(send)).isEqualTo(new DeliveryOutcome.Sent(send.stableId()));
	}

	@ParameterizedTest
	@CsvSource({ "TOO_MANY_REQUESTS, rate_limited", "INTERNAL_SERVER_ERROR, unavailable",
			"SERVICE_UNAVAILABLE, unavailable", "EXPIRED_PROVIDER_TOKEN, auth" })
	void temporaryAnswersAreFailures(ApnsFailure failure, String reason) throws Exception {
		sandbox.failNext(1, failure);
		assertThat(outcome(send(token()))).isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
				(failed) -> assertThat(failed.reason()).isEqualTo(reason));
	}

	@Test
	void aTooLargePayloadIsRejectedButTheTokenLives() throws Exception {
		sandbox.failNext(1, ApnsFailure.PAYLOAD_TOO_LARGE);
		assertThat(outcome(send(token()))).isEqualTo(new DeliveryOutcome.Rejected(RejectionCause.INVALID_MESSAGE,
				"payload_too_large", "APNs 413 PayloadTooLarge"));
	}

	@Test
	void unregisteredAndMalformedTokensAreDead() throws Exception {
		assertThat(outcome(send(ApnsSandbox.DEAD_TOKEN_PREFIX + token().substring(4))))
			.isInstanceOfSatisfying(DeliveryOutcome.Rejected.class, (rejected) -> {
				assertThat(rejected.reason()).isEqualTo("unregistered");
				assertThat(rejected.cause()).isEqualTo(RejectionCause.UNREGISTERED_DEVICE);
			});
		assertThat(outcome(send("zz-not-hex"))).isInstanceOfSatisfying(DeliveryOutcome.Rejected.class, (rejected) -> {
			assertThat(rejected.reason()).isEqualTo("bad_device_token");
			assertThat(rejected.cause()).isEqualTo(RejectionCause.UNREGISTERED_DEVICE);
		});
	}

	@Test
	void aClosedApnsEndpointIsUnavailable(@TempDir Path files) throws Exception {
		ApnsSandbox gone = ApnsSandbox.start();
		List<Path> written = gone.writeFiles(files);
		int port = gone.port();
		gone.close();
		ApnsPushProvider unreachable = new ApnsPushProvider(new ApnsProperties.Account("apns-gone", "127.0.0.1", port,
				"io.herald.demo", written.get(1), ApnsSandbox.TEAM_ID, ApnsSandbox.KEY_ID, null, null, written.get(0),
				Duration.ofSeconds(2), 1, 16, 0));
		try {
			assertThat(unreachable.send(send(token())).get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(
					DeliveryOutcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isIn("unavailable", "timeout"));
		}
		finally {
			unreachable.close();
		}
	}

	@Test
	void onlyIosDevicesAreApnsBusiness() {
		assertThat(provider.accepts(send(token()))).isTrue();
		DeliverNotification android = Lanes.notification("u-1", "e-1", Priority.HIGH,
				Lanes.push(Lanes.device(Device.Platform.ANDROID, "a".repeat(120))));
		assertThat(provider.accepts(
				new Send("k", android, android.message(), Lanes.device(Device.Platform.ANDROID, "a".repeat(120)), 1)))
			.isFalse();
	}

	private static DeliveryOutcome outcome(Send send) throws Exception {
		return provider.send(send).get(30, TimeUnit.SECONDS);
	}

	private static Send send(String token) {
		Device device = Lanes.device(Device.Platform.IOS, token);
		DeliverNotification notification = Lanes.notification("u-1", "e-" + token, Priority.HIGH, Lanes.push(device));
		return new Send(notification.notificationId() + ":" + token, notification, notification.message(), device, 1);
	}

	private static String token() {
		byte[] bytes = new byte[32];
		ThreadLocalRandom.current().nextBytes(bytes);
		bytes[0] = 0x1a;
		return HexFormat.of().formatHex(bytes);
	}

}
