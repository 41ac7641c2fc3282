package io.herald.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A device a user registered for push.
 *
 * @param platform where the token goes: APNs, FCM or Web Push
 * @param token the provider's device token
 * @param appId the app the token belongs to (APNs topic, FCM project app), or
 * {@code null}
 * @param registeredAt when it was registered or last refreshed
 */
public record Device(Platform platform, String token, @Nullable String appId, Instant registeredAt) {

	public Device {
		Objects.requireNonNull(platform, "platform");
		Objects.requireNonNull(token, "token");
		Objects.requireNonNull(registeredAt, "registeredAt");
	}

	/**
	 * How status records name the device: {@code ios:1a2b3c4d...} (the token's first 16
	 * characters).
	 */
	public String label() {
		return this.platform.wireName() + ":" + this.token.substring(0, Math.min(16, this.token.length()));
	}

	/** A push platform. */
	public enum Platform implements WireNamed {

		IOS, ANDROID, WEB;

		private final String wireName = name().toLowerCase(Locale.ROOT);

		@Override
		@JsonValue
		public String wireName() {
			return this.wireName;
		}

		@JsonCreator
		public static Platform fromWireName(String name) {
			return WireNamed.parse(values(), name, "platform");
		}

	}

}
