package io.herald.delivery.dispatch;

import io.herald.delivery.provider.Send;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Splits a delivery request into sends: one per device for push, one otherwise. Send keys
 * are stable: the notification id, the channel when it is a fallback, and a digest of the
 * device token (tokens are long and secret-ish; the digest keeps them out of Redis key
 * names).
 */
final class Sends {

	private Sends() {
	}

	/** The sends of the request's own message. */
	static List<Send> of(DeliverNotification notification, int attempt) {
		return of(notification, notification.message(), notification.notificationId(), attempt);
	}

	/** The sends of a fallback message of the request. */
	static List<Send> fallback(DeliverNotification notification, ChannelMessage message, int attempt) {
		return of(notification, message, notification.notificationId() + ":fallback-" + message.channel().wireName(),
				attempt);
	}

	private static List<Send> of(DeliverNotification notification, ChannelMessage message, String key, int attempt) {
		return switch (message) {
			case ChannelMessage.Push push -> push.devices()
				.stream()
				.map((device) -> new Send(key + ":" + tokenDigest(device), notification, message, device, attempt))
				.toList();
			case ChannelMessage.Email email -> List.of(new Send(key, notification, message, null, attempt));
			case ChannelMessage.Sms sms -> List.of(new Send(key, notification, message, null, attempt));
			case ChannelMessage.InApp inApp -> throw new IllegalArgumentException(
					"in-app notifications are the gateway's, not the delivery service's");
		};
	}

	private static String tokenDigest(Device device) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((device.platform().wireName() + ":" + device.token()).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM supports SHA-256", ex);
		}
	}

}
