package io.herald.routing.user;

import io.herald.events.Device;
import io.herald.events.JsonCodec;
import io.herald.events.WireNamed;
import io.herald.support.web.FieldProblems;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Checks the body of {@code POST /v1/users/{userId}/devices}. Unknown fields are ignored.
 *
 * <ul>
 * <li>{@code platform} (required): {@code ios}, {@code android} or {@code web}.</li>
 * <li>{@code token} (required), by platform: an APNs device token, 64 to 200 hex digits
 * (64 today; Apple reserves the right to grow it); an FCM registration token, 100 to 4096
 * characters of {@code [A-Za-z0-9_:-]}; a Web Push subscription endpoint, an
 * {@code https://} URL with a host, at most 2048 characters. Tokens are stored as given
 * (case included): remove a device with the same token.</li>
 * <li>{@code appId} (optional): {@code [A-Za-z0-9._-]{1,255}}, such as an APNs bundle
 * id.</li>
 * </ul>
 */
final class DeviceValidator {

	/** Longest token of any platform; longer path segments cannot name a device. */
	static final int MAX_TOKEN_LENGTH = 4096;

	/** Longest Web Push endpoint URL. */
	static final int MAX_WEB_ENDPOINT_LENGTH = 2048;

	private static final Pattern APNS_TOKEN = Pattern.compile("[0-9a-fA-F]{64,200}");

	private static final Pattern FCM_TOKEN = Pattern.compile("[A-Za-z0-9_:\\-]{100," + MAX_TOKEN_LENGTH + "}");

	private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9._-]{1,255}");

	private DeviceValidator() {
	}

	static Validated<DeviceRegistration> validate(JsonNode body) {
		if (!body.isObject()) {
			return Validated.notAnObject();
		}
		FieldProblems problems = new FieldProblems();
		Device.Platform platform = platform(FieldProblems.present(body.get("platform")), problems);
		String token = token(FieldProblems.present(body.get("token")), platform, problems);
		String appId = appId(FieldProblems.present(body.get("appId")), problems);
		return Validated.of(problems, () -> new DeviceRegistration(platform, token, appId));
	}

	/** Whether a token has the shape of its platform's tokens. */
	static boolean isToken(Device.Platform platform, String token) {
		return switch (platform) {
			case IOS -> APNS_TOKEN.matcher(token).matches();
			case ANDROID -> FCM_TOKEN.matcher(token).matches();
			case WEB -> isWebPushEndpoint(token);
		};
	}

	/** Whether a string is an app id. */
	static boolean isAppId(String value) {
		return APP_ID.matcher(value).matches();
	}

	private static boolean isWebPushEndpoint(String token) {
		if (token.length() > MAX_WEB_ENDPOINT_LENGTH || !token.startsWith("https://")
				|| !JsonCodec.isWellFormed(token)) {
			return false;
		}
		try {
			URI uri = new URI(token);
			return uri.getHost() != null && uri.getRawUserInfo() == null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	private static Device.@Nullable Platform platform(@Nullable JsonNode node, FieldProblems problems) {
		if (node == null) {
			problems.add("platform", "is required: ios, android or web");
			return null;
		}
		String name = FieldProblems.text(node);
		Device.Platform platform = (name != null) ? WireNamed.find(Device.Platform.values(), name) : null;
		if (platform == null) {
			problems.add("platform", "must be ios, android or web");
		}
		return platform;
	}

	private static @Nullable String token(@Nullable JsonNode node, Device.@Nullable Platform platform,
			FieldProblems problems) {
		if (node == null) {
			problems.add("token", "is required");
			return null;
		}
		String token = FieldProblems.text(node);
		if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
			problems.add("token", "must be a non-empty string of at most " + MAX_TOKEN_LENGTH + " characters");
			return null;
		}
		if (platform != null && !isToken(platform, token)) {
			problems.add("token", switch (platform) {
				case IOS -> "must be an APNs device token: 64 to 200 hex digits";
				case ANDROID -> "must be an FCM registration token: 100 to 4096 characters of A-Z a-z 0-9 _ : -";
				case WEB -> "must be a Web Push subscription endpoint: an https:// URL of at most "
						+ MAX_WEB_ENDPOINT_LENGTH + " characters";
			});
			return null;
		}
		return token;
	}

	private static @Nullable String appId(@Nullable JsonNode node, FieldProblems problems) {
		if (node == null) {
			return null;
		}
		String appId = FieldProblems.text(node);
		if (appId == null || !isAppId(appId)) {
			problems.add("appId", "must match [A-Za-z0-9._-]{1,255}, such as com.example.app");
			return null;
		}
		return appId;
	}

}
