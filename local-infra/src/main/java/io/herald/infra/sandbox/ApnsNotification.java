package io.herald.infra.sandbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One notification {@link ApnsSandbox} accepted, as a device would get it.
 *
 * @param apnsId the {@code apns-id}
 * @param token the device token
 * @param topic the {@code apns-topic} (the app's bundle id)
 * @param collapseId the {@code apns-collapse-id}, or {@code null}
 * @param priority the {@code apns-priority}, or {@code null}
 * @param pushType the {@code apns-push-type}, or {@code null}
 * @param title the alert's title, or {@code null}
 * @param body the alert's body, or {@code null}
 * @param payload the whole JSON payload
 * @param receivedAt when the sandbox accepted it
 */
public record ApnsNotification(String apnsId, String token, @Nullable String topic, @Nullable String collapseId,
		@Nullable String priority, @Nullable String pushType, @Nullable String title, @Nullable String body,
		String payload, Instant receivedAt) {
}
