package io.herald.delivery.provider;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * One message to one address: an email, a text message, or a push to one device. A push
 * notification to a user with three devices is three sends.
 *
 * @param key the send's idempotency key, stable across redeliveries and retries:
 * providers that take an idempotency or collapse id get one derived from it
 * ({@link #stableId()})
 * @param notification the delivery request the send comes from
 * @param message what to send; usually the notification's own message, or a fallback
 * channel's
 * @param device the device, for push; {@code null} for email and SMS
 * @param attempt 1 for the first try, then one more for each retry
 */
public record Send(String key, DeliverNotification notification, ChannelMessage message, @Nullable Device device,
		int attempt) {

	public Send {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(notification, "notification");
		Objects.requireNonNull(message, "message");
		if (message instanceof ChannelMessage.Push && device == null) {
			throw new IllegalArgumentException("a push send needs a device");
		}
		if (attempt < 1) {
			throw new IllegalArgumentException("attempt must be at least 1, but was " + attempt);
		}
	}

	/** The channel the send travels. */
	public Channel channel() {
		return this.message.channel();
	}

	/**
	 * A UUID derived from {@link #key()}: the same for every try of this send, so that a
	 * resend after a crash carries the same APNs {@code apns-id} and collapse id, FCM
	 * collapse key and email {@code Message-ID}, and the device or mailbox shows it once.
	 */
	public String stableId() {
		return java.util.UUID.nameUUIDFromBytes(this.key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
	}

	/** The device, for a push send. */
	public Device requireDevice() {
		if (this.device == null) {
			throw new IllegalStateException("send " + this.key + " has no device");
		}
		return this.device;
	}

}
