package io.herald.client;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users, preferences, devices, topic subscriptions and suppressed addresses: the user API
 * (API.md section 2, and its additions in docs/api.md). A write Herald answers with
 * {@code 202} is durable and shows in reads shortly; the methods say where that shows.
 */
public final class Users {

	private static final String MERGE_PATCH = "application/merge-patch+json";

	private final Transport transport;

	private final URI base;

	Users(Transport transport, URI base) {
		this.transport = transport;
		this.base = base;
	}

	/**
	 * The user's profile and its version.
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} for a user Herald does not
	 * know
	 */
	public StoredProfile get(String userId) {
		Transport.Answer answer = this.transport.send("GET", user(userId), null, Map.of(), true);
		return new StoredProfile(profile(answer.json()), etag(answer));
	}

	/**
	 * Creates the user or replaces the profile: a field left {@code null} is removed.
	 * @param ifMatch apply only if the profile is still this version
	 * ({@link StoredProfile#etag()}), {@code null} for any
	 * @throws HeraldApiException {@link ProblemKind#PRECONDITION_FAILED} when
	 * {@code ifMatch} no longer matches
	 */
	public ProfileWrite put(String userId, Profile profile, @Nullable String ifMatch) {
		ObjectNode body = Transport.JSON.createObjectNode();
		putIfPresent(body, "email", profile.email());
		putIfPresent(body, "phone", profile.phone());
		putIfPresent(body, "locale", profile.locale());
		putIfPresent(body, "timezone", profile.timezone());
		// A conditional write repeated after a lost answer would be refused by its own
		// first try.
		return write(this.transport.send("PUT", user(userId), body, conditional(ifMatch, null), ifMatch == null));
	}

	/**
	 * Changes the fields named (a JSON merge patch, RFC 7396): a value sets the field,
	 * {@code null} removes it, a field not named keeps its value. Creates the user if
	 * needed.
	 * @param changes fields of {@link Profile} by their JSON names ({@code email},
	 * {@code phone}, {@code locale}, {@code timezone})
	 * @param ifMatch apply only if the profile is still this version, {@code null} for
	 * any
	 */
	public ProfileWrite patch(String userId, Map<String, @Nullable String> changes, @Nullable String ifMatch) {
		ObjectNode body = Transport.JSON.createObjectNode();
		changes.forEach((field, value) -> {
			if (value == null) {
				body.putNull(field);
			}
			else {
				body.put(field, value);
			}
		});
		return write(
				this.transport.send("PATCH", user(userId), body, conditional(ifMatch, MERGE_PATCH), ifMatch == null));
	}

	/**
	 * Erases the user: profile, preferences, devices, inbox and subscriptions (GDPR
	 * erasure).
	 */
	public void erase(String userId) {
		this.transport.send("DELETE", user(userId), null, Map.of(), true);
	}

	/**
	 * The user's preferences; the defaults for a user who never set any.
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} for a user Herald does not
	 * know
	 */
	public Preferences preferences(String userId) {
		return preferences(this.transport
			.send("GET", Paths.resolve(this.base, "v1/users/", userId, "/preferences"), null, Map.of(), true)
			.json());
	}

	/** Replaces the user's preferences, creating the user if needed. */
	public void putPreferences(String userId, Preferences preferences) {
		ObjectNode body = Transport.JSON.createObjectNode();
		ObjectNode channels = body.putObject("channels");
		preferences.channels().forEach(channels::put);
		ObjectNode categories = body.putObject("categories");
		preferences.categories().forEach((pattern, rule) -> {
			ObjectNode node = categories.putObject(pattern);
			if (rule.enabled() != null) {
				node.put("enabled", rule.enabled());
			}
			if (rule.channels() != null) {
				ArrayNode list = node.putArray("channels");
				rule.channels().forEach(list::add);
			}
			putIfPresent(node, "digest", rule.digest());
		});
		Preferences.QuietHours quiet = preferences.quietHours();
		if (quiet != null) {
			ObjectNode window = body.putObject("quietHours");
			window.put("start", hhmm(quiet.start()));
			window.put("end", hhmm(quiet.end()));
		}
		this.transport.send("PUT", Paths.resolve(this.base, "v1/users/", userId, "/preferences"), body, Map.of(), true);
	}

	/**
	 * The user's devices, oldest first.
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} for a user Herald does not
	 * know
	 */
	public List<Device> devices(String userId) {
		JsonNode body = this.transport
			.send("GET", Paths.resolve(this.base, "v1/users/", userId, "/devices"), null, Map.of(), true)
			.json();
		List<Device> devices = new ArrayList<>();
		for (JsonNode device : body.path("devices")) {
			devices.add(device(device));
		}
		return devices;
	}

	/**
	 * Registers a device, or refreshes it if its token is known; creates the user if
	 * needed.
	 */
	public Device registerDevice(String userId, Device device) {
		ObjectNode body = Transport.JSON.createObjectNode();
		body.put("platform", device.platform());
		body.put("token", device.token());
		putIfPresent(body, "appId", device.appId());
		return device(this.transport
			.send("POST", Paths.resolve(this.base, "v1/users/", userId, "/devices"), body, Map.of(), true)
			.json());
	}

	/**
	 * Removes a device.
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} for a device the user does
	 * not have, also when a try whose answer was lost removed it and the client repeated
	 * the call
	 */
	public void removeDevice(String userId, String token) {
		this.transport.send("DELETE", Paths.resolve(this.base, "v1/users/", userId, "/devices/", token), null, Map.of(),
				true);
	}

	/** Subscribes the user to the topic, creating the user if needed. */
	public void subscribe(String userId, String topic) {
		this.transport.send("PUT", subscription(userId, topic), null, Map.of(), true);
	}

	/**
	 * Unsubscribes the user from the topic.
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} if the user was not
	 * subscribed, also when a try whose answer was lost unsubscribed them and the client
	 * repeated the call
	 */
	public void unsubscribe(String userId, String topic) {
		this.transport.send("DELETE", subscription(userId, topic), null, Map.of(), true);
	}

	/**
	 * The topics the user is subscribed to, sorted by name.
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} for a user Herald does not
	 * know
	 */
	public List<String> topics(String userId) {
		JsonNode body = this.transport
			.send("GET", Paths.resolve(this.base, "v1/users/", userId, "/topics"), null, Map.of(), true)
			.json();
		List<String> topics = new ArrayList<>();
		body.path("topics").forEach((topic) -> topics.add(topic.asString()));
		return topics;
	}

	/**
	 * The addresses Herald does not send to, email before SMS; empty when there are none.
	 * Needs the {@code USERS_READ} scope.
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} for a user Herald does not
	 * know
	 */
	public List<Suppression> suppressions(String userId) {
		JsonNode body = this.transport
			.send("GET", Paths.resolve(this.base, "v1/users/", userId, "/suppressions"), null, Map.of(), true)
			.json();
		List<Suppression> suppressions = new ArrayList<>();
		for (JsonNode suppression : body.path("suppressions")) {
			suppressions.add(suppression(suppression));
		}
		return suppressions;
	}

	/**
	 * Suppresses the address the profile has now for the channel (a complaint learned
	 * elsewhere, say), replacing the channel's suppression. Needs {@code USERS_WRITE}.
	 * Repeating it is harmless, so a lost answer is retried.
	 * @param channel {@link Channel#EMAIL} or {@link Channel#SMS}
	 * @param reason any but {@link SuppressionReason#OTHER}
	 * @throws IllegalArgumentException for another channel or {@code OTHER}, before
	 * anything is sent
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} for a user Herald does not
	 * know or one without an address for the channel; {@link ProblemKind#INVALID} for a
	 * user id out of shape
	 */
	public SuppressionWrite suppress(String userId, Channel channel, SuppressionReason reason) {
		String name = addressChannel(channel);
		if (reason == SuppressionReason.OTHER) {
			throw new IllegalArgumentException("Suppress with a reason Herald knows, not OTHER");
		}
		ObjectNode body = Transport.JSON.createObjectNode().put("reason", reason.wireName());
		Transport.Answer answer = this.transport.send("PUT",
				Paths.resolve(this.base, "v1/users/", userId, "/suppressions/", name), body, Map.of(), true);
		return new SuppressionWrite(answer.status() == 200, suppression(answer.json()));
	}

	/**
	 * Lifts the channel's suppression: Herald sends to the address again. Needs
	 * {@code USERS_WRITE}.
	 * @param channel {@link Channel#EMAIL} or {@link Channel#SMS}
	 * @return {@code true} when reads show it lifted already ({@code 204}), {@code false}
	 * when that is durable and shows shortly ({@code 202})
	 * @throws IllegalArgumentException for another channel, before anything is sent
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} for a user Herald does not
	 * know or without a suppression on the channel, also when a try whose answer was lost
	 * lifted it and the client repeated the call
	 */
	public boolean liftSuppression(String userId, Channel channel) {
		String name = addressChannel(channel);
		return this.transport
			.send("DELETE", Paths.resolve(this.base, "v1/users/", userId, "/suppressions/", name), null, Map.of(), true)
			.status() != 202;
	}

	private static String addressChannel(Channel channel) {
		if (channel != Channel.EMAIL && channel != Channel.SMS) {
			throw new IllegalArgumentException("Only email and sms have suppressions, not " + channel.wireName());
		}
		return channel.wireName();
	}

	private URI user(String userId) {
		return Paths.resolve(this.base, "v1/users/", userId);
	}

	private URI subscription(String userId, String topic) {
		return Paths.resolve(this.base, "v1/topics/", topic, "/subscribers/", userId);
	}

	private static Map<String, String> conditional(@Nullable String ifMatch, @Nullable String contentType) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (ifMatch != null) {
			headers.put("If-Match", ifMatch);
		}
		if (contentType != null) {
			headers.put("Content-Type", contentType);
		}
		return headers;
	}

	private static ProfileWrite write(Transport.Answer answer) {
		if (answer.status() == 202 || answer.body() == null) {
			return new ProfileWrite(false, null, null);
		}
		return new ProfileWrite(true, profile(answer.json()), answer.header("ETag"));
	}

	private static String etag(Transport.Answer answer) {
		String etag = answer.header("ETag");
		return (etag != null) ? etag : "";
	}

	private static Profile profile(JsonNode json) {
		return new Profile(JsonFields.text(json, "email"), JsonFields.text(json, "phone"),
				JsonFields.text(json, "locale"), JsonFields.text(json, "timezone"));
	}

	private static Preferences preferences(JsonNode json) {
		Map<String, Boolean> channels = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> channel : json.path("channels").properties()) {
			channels.put(channel.getKey(), channel.getValue().asBoolean());
		}
		Map<String, Preferences.CategoryRule> categories = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> category : json.path("categories").properties()) {
			JsonNode rule = category.getValue();
			List<String> allowed = null;
			if (rule.path("channels").isArray()) {
				allowed = new ArrayList<>();
				for (JsonNode channel : rule.path("channels")) {
					allowed.add(channel.asString());
				}
			}
			categories.put(category.getKey(),
					new Preferences.CategoryRule(
							rule.path("enabled").isBoolean() ? rule.path("enabled").booleanValue() : null, allowed,
							JsonFields.text(rule, "digest")));
		}
		JsonNode quiet = json.path("quietHours");
		Preferences.QuietHours window = quiet.isObject() ? new Preferences.QuietHours(
				LocalTime.parse(quiet.path("start").asString()), LocalTime.parse(quiet.path("end").asString())) : null;
		return new Preferences(channels, categories, window);
	}

	private static Suppression suppression(JsonNode json) {
		String channel = json.path("channel").asString("");
		String reason = json.path("reason").asString("");
		return new Suppression(channel.equals("sms") ? Channel.SMS : Channel.EMAIL, json.path("address").asString(""),
				SuppressionReason.of(reason), reason, JsonFields.instant(json, "since"),
				JsonFields.text(json, "notificationId"));
	}

	private static Device device(JsonNode json) {
		return new Device(json.path("platform").asString(""), json.path("token").asString(""),
				JsonFields.text(json, "appId"), JsonFields.instant(json, "registeredAt"));
	}

	private static String hhmm(LocalTime time) {
		return String.format("%02d:%02d", time.getHour(), time.getMinute());
	}

	private static void putIfPresent(ObjectNode node, String field, @Nullable String value) {
		if (value != null) {
			node.put(field, value);
		}
	}

}
