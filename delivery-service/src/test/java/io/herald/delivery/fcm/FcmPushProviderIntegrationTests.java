package io.herald.delivery.fcm;

import io.herald.delivery.Lanes;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.RejectionCause;
import io.herald.delivery.provider.Send;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.Priority;
import io.herald.infra.sandbox.FcmFailure;
import io.herald.infra.sandbox.FcmSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FcmPushProvider} against the FCM sandbox: every answer class, as an outcome. */
class FcmPushProviderIntegrationTests {

	private static FcmSandbox sandbox;

	private static FcmPushProvider provider;

	@BeforeAll
	static void start() {
		sandbox = FcmSandbox.start();
		sandbox.retryAfter(Duration.ofSeconds(1));
		provider = new FcmPushProvider(new FcmProperties.Project("fcm", "herald-test", null, "sandbox",
				URI.create(sandbox.baseUrl()), Duration.ofSeconds(10), 16, 0));
	}

	@AfterAll
	static void stop() {
		provider.close();
		sandbox.close();
	}

	@AfterEach
	void clear() {
		sandbox.clearFailures();
	}

	@Test
	void anAcceptedMessageIsSentWithItsNameAndAStableCollapseKey() throws Exception {
		Send send = send("token-" + UUID.randomUUID());
		DeliveryOutcome first = outcome(send);
		DeliveryOutcome second = outcome(send);

		assertThat(first).isInstanceOfSatisfying(DeliveryOutcome.Sent.class,
				(sent) -> assertThat(sent.providerId()).startsWith("projects/herald-test/messages/"));
		assertThat(second).isInstanceOf(DeliveryOutcome.Sent.class);
		assertThat(sandbox.messages()).filteredOn((message) -> message.token().equals(send.requireDevice().token()))
			.hasSize(2)
			.allSatisfy((message) -> assertThat(message.json()).contains("\"collapse_key\":\"" + send.stableId() + "\"")
				.contains("\"tag\":\"" + send.stableId() + "\""));
	}

	@Test
	void anUnregisteredTokenIsDead() throws Exception {
		assertThat(outcome(send(FcmSandbox.DEAD_TOKEN_PREFIX + UUID.randomUUID())))
			.isInstanceOfSatisfying(DeliveryOutcome.Rejected.class, (rejected) -> {
				assertThat(rejected.reason()).isEqualTo("unregistered");
				assertThat(rejected.cause()).isEqualTo(RejectionCause.UNREGISTERED_DEVICE);
			});
	}

	@Test
	void anInvalidArgumentAboutTheTokenIsDeadOtherwiseTheMessageIsRejected() throws Exception {
		sandbox.failNext(1, FcmFailure.INVALID_ARGUMENT);
		assertThat(outcome(send("token-" + UUID.randomUUID()))).isInstanceOfSatisfying(DeliveryOutcome.Rejected.class,
				(rejected) -> {
					assertThat(rejected.reason()).isEqualTo("invalid_message");
					assertThat(rejected.cause()).isEqualTo(RejectionCause.INVALID_MESSAGE);
				});
	}

	@Test
	void quotaExceededIsAFailureThatCarriesRetryAfter() throws Exception {
		sandbox.failNext(1, FcmFailure.QUOTA_EXCEEDED);
		assertThat(outcome(send("token-" + UUID.randomUUID()))).isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
				(failed) -> {
					assertThat(failed.reason()).isEqualTo("quota_exceeded");
					assertThat(failed.retryAfter()).isEqualTo(Duration.ofSeconds(1));
				});
	}

	@Test
	void aLastingOutageIsUnavailableAfterTheSdksOwnRetries() throws Exception {
		sandbox.failUntilCleared(FcmFailure.INTERNAL);
		assertThat(outcome(send("token-" + UUID.randomUUID()))).isInstanceOfSatisfying(DeliveryOutcome.Failed.class,
				(failed) -> assertThat(failed.reason()).isEqualTo("unavailable"));
	}

	@Test
	void androidAndWebDevicesAreFcmsBusiness() {
		assertThat(provider.accepts(send("token-1"))).isTrue();
		assertThat(provider.accepts(send(Device.Platform.WEB, "token-1"))).isTrue();
		assertThat(provider.accepts(send(Device.Platform.IOS, "1a".repeat(32)))).isFalse();
	}

	private static DeliveryOutcome outcome(Send send) throws Exception {
		return provider.send(send).get(60, TimeUnit.SECONDS);
	}

	private static Send send(String token) {
		return send(Device.Platform.ANDROID, token);
	}

	private static Send send(Device.Platform platform, String token) {
		Device device = Lanes.device(platform, token);
		DeliverNotification notification = Lanes.notification("u-1", "e-" + token, Priority.HIGH, Lanes.push(device));
		return new Send(notification.notificationId() + ":" + token, notification, notification.message(), device, 1);
	}

}
