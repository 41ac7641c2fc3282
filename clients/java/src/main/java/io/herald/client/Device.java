package io.herald.client;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A user's device, for push.
 *
 * @param platform {@code ios}, {@code android} or {@code web}
 * @param token the provider's token of the device
 * @param appId the app it belongs to
 * @param registeredAt when Herald registered it; {@code null} in a registration request
 */
public record Device(String platform, String token, @Nullable String appId, @Nullable Instant registeredAt) {

	/** A device to register. */
	public static Device of(String platform, String token, @Nullable String appId) {
		return new Device(platform, token, appId, null);
	}

}
