package io.herald.delivery.dispatch;

import io.herald.delivery.provider.Send;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.Priority;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SendsTests {

	private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

	@Test
	void pushMakesOneSendPerDeviceWithStableDistinctKeys() {
		DeliverNotification notification = notification(new ChannelMessage.Push("t", "b",
				List.of(device(Device.Platform.IOS, "aaaa"), device(Device.Platform.ANDROID, "bbbb"))));
		List<Send> sends = Sends.of(notification, 1);
		assertThat(sends).hasSize(2);
		assertThat(sends).extracting(Send::key)
			.doesNotHaveDuplicates()
			.allSatisfy((key) -> assertThat(key).startsWith(notification.notificationId() + ":"));
		assertThat(Sends.of(notification, 3)).extracting(Send::key).isEqualTo(sends.stream().map(Send::key).toList());
		assertThat(sends.get(0).stableId()).isEqualTo(Sends.of(notification, 2).get(0).stableId());
	}

	@Test
	void keysNeverShowTheDeviceToken() {
		DeliverNotification notification = notification(
				new ChannelMessage.Push("t", "b", List.of(device(Device.Platform.IOS, "secret-token-123"))));
		assertThat(Sends.of(notification, 1).get(0).key()).doesNotContain("secret-token-123");
	}

	@Test
	void pushWithoutDevicesMakesNoSend() {
		assertThat(Sends.of(notification(new ChannelMessage.Push("t", "b", List.of())), 1)).isEmpty();
	}

	@Test
	void emailAndSmsMakeOneSendKeyedByTheNotification() {
		DeliverNotification email = notification(new ChannelMessage.Email("a@example.com", "s", "t", null));
		assertThat(Sends.of(email, 1)).singleElement()
			.satisfies((send) -> assertThat(send.key()).isEqualTo(email.notificationId()));
	}

	@Test
	void aFallbackSendIsKeyedApartFromTheNotificationsOwn() {
		DeliverNotification push = notification(new ChannelMessage.Push("t", "b", List.of()));
		List<Send> sends = Sends.fallback(push, new ChannelMessage.Sms("+4915112345678", "b"), 1);
		assertThat(sends).singleElement().satisfies((send) -> {
			assertThat(send.channel()).isEqualTo(Channel.SMS);
			assertThat(send.key()).isEqualTo(push.notificationId() + ":fallback-sms");
		});
	}

	@Test
	void inAppIsNotTheDeliveryServicesBusiness() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Sends.of(notification(new ChannelMessage.InApp("t", "b")), 1));
	}

	private static Device device(Device.Platform platform, String token) {
		return new Device(platform, token, null, NOW);
	}

	private static DeliverNotification notification(ChannelMessage message) {
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, "acme", "e-1",
				DeliverNotification.notificationId("e-1", "u-1", message.channel()), "u-1", Priority.HIGH,
				"order.shipped", message, Map.of(), NOW, null);
	}

}
