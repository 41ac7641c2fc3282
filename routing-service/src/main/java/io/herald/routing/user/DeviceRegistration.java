package io.herald.routing.user;

import io.herald.events.Device;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A valid body of {@code POST /v1/users/{userId}/devices}.
 *
 * @param platform where the token goes
 * @param token the provider's token, as given
 * @param appId the app the token belongs to, or {@code null}
 */
record DeviceRegistration(Device.Platform platform, String token, @Nullable String appId) {

	/** The device, registered at the given time. */
	Device toDevice(Instant registeredAt) {
		return new Device(this.platform, this.token, this.appId, registeredAt);
	}

}
