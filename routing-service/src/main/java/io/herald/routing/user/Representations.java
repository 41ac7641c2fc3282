package io.herald.routing.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.events.Channel;
import io.herald.events.Device;
import io.herald.events.Preferences;
import io.herald.events.Profile;
import io.herald.events.Suppression;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON the user API answers with. Each representation has the shape of the request
 * that stores it, so what a client {@code PUT}s it {@code GET}s back (in canonical form);
 * absent values are left out rather than written as {@code null}.
 */
final class Representations {

	private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

	private Representations() {
	}

	/** {@code PUT} and {@code GET /v1/users/{userId}}. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ProfileBody(@Nullable String email, @Nullable String phone, @Nullable String locale,
			@Nullable String timezone) {

		static ProfileBody of(Profile profile) {
			return new ProfileBody(profile.email(), profile.phone(), profile.locale(), profile.timezone());
		}

	}

	/**
	 * {@code PUT} and {@code GET /v1/users/{userId}/preferences}; channels in a fixed
	 * order.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record PreferencesBody(Map<String, Boolean> channels, Map<String, CategoryRuleBody> categories,
			@Nullable QuietHoursBody quietHours) {

		static PreferencesBody of(Preferences preferences) {
			Map<String, Boolean> channels = new LinkedHashMap<>();
			for (Channel channel : Channel.values()) {
				Boolean enabled = preferences.channels().get(channel);
				if (enabled != null) {
					channels.put(channel.wireName(), enabled);
				}
			}
			Map<String, CategoryRuleBody> categories = new TreeMap<>();
			preferences.categories()
				.forEach((pattern, rule) -> categories.put(pattern, new CategoryRuleBody(rule.enabled(),
						(rule.channels() != null) ? names(rule.channels()) : null, rule.digest())));
			Preferences.QuietHours quietHours = preferences.quietHours();
			return new PreferencesBody(channels, categories,
					(quietHours != null) ? new QuietHoursBody(time(quietHours.start()), time(quietHours.end())) : null);
		}

	}

	/** One category rule of {@link PreferencesBody}. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record CategoryRuleBody(@Nullable Boolean enabled, @Nullable List<String> channels, @Nullable String digest) {
	}

	/** Quiet hours as {@code HH:mm}. */
	record QuietHoursBody(String start, String end) {
	}

	/**
	 * One device: the body of {@code POST /v1/users/{userId}/devices} and the time it was
	 * registered.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record DeviceBody(String platform, String token, @Nullable String appId, Instant registeredAt) {

		static DeviceBody of(Device device) {
			return new DeviceBody(device.platform().wireName(), device.token(), device.appId(), device.registeredAt());
		}

	}

	/** {@code GET /v1/users/{userId}/devices}: oldest first. */
	record DevicesBody(List<DeviceBody> devices) {

		static DevicesBody of(List<Device> devices) {
			return new DevicesBody(devices.stream().map(DeviceBody::of).toList());
		}

	}

	/**
	 * One suppression: what {@code PUT /v1/users/{userId}/suppressions/{channel}} stores.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record SuppressionBody(String channel, String address, String reason, Instant since,
			@Nullable String notificationId) {

		static SuppressionBody of(Suppression suppression) {
			return new SuppressionBody(suppression.channel().wireName(), suppression.address(),
					suppression.reason().wireName(), suppression.since(), suppression.notificationId());
		}

	}

	/** {@code GET /v1/users/{userId}/suppressions}: in channel order. */
	record SuppressionsBody(List<SuppressionBody> suppressions) {

		static SuppressionsBody of(List<Suppression> suppressions) {
			return new SuppressionsBody(suppressions.stream().map(SuppressionBody::of).toList());
		}

	}

	/** {@code GET /v1/users/{userId}/topics}: sorted by name. */
	record TopicsBody(List<String> topics) {
	}

	/** {@code PUT} and {@code GET /v1/topics/{topic}/subscribers/{userId}}. */
	record SubscriptionBody(String topic, String userId) {
	}

	private static List<String> names(Collection<Channel> channels) {
		return channels.stream().sorted().map(Channel::wireName).toList();
	}

	private static String time(LocalTime time) {
		return HH_MM.format(time);
	}

}
