package io.herald.infra.sandbox;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message {@link FcmSandbox} accepted.
 *
 * @param name the name the sandbox answered, {@code projects/{project}/messages/{id}}
 * @param project the Firebase project id from the request path
 * @param token the registration token the message was sent to
 * @param title {@code notification.title}, if any
 * @param body {@code notification.body}, if any
 * @param data the {@code data} payload, empty if none
 * @param json the whole {@code message} object as received, for assertions on
 * {@code android}, {@code apns} and other fields
 * @param receivedAt when the sandbox accepted it
 */
public record FcmMessage(String name, String project, String token, @Nullable String title, @Nullable String body,
		Map<String, String> data, String json, Instant receivedAt) {

	public FcmMessage {
		data = Map.copyOf(data);
	}

}
