package io.herald.routing.user;

import io.herald.events.CategoryPatterns;
import io.herald.events.Channel;
import io.herald.events.DigestWindow;
import io.herald.events.Preferences;
import io.herald.events.Preferences.CategoryRule;
import io.herald.events.Preferences.QuietHours;
import io.herald.events.WireNamed;
import io.herald.support.web.FieldProblems;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.time.LocalTime;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the body of {@code PUT /v1/users/{userId}/preferences} and turns it into
 * {@link Preferences}. The preferences are replaced as a whole; an absent field means its
 * default (every channel on, no category rules, no quiet hours). Unknown fields are
 * ignored.
 *
 * <ul>
 * <li>{@code channels}: an object whose keys are channel names ({@code inapp},
 * {@code push}, {@code email}, {@code sms}) and whose values are booleans.</li>
 * <li>{@code categories}: an object of at most {@value #MAX_CATEGORIES} rules keyed by an
 * event-type pattern: an event type ({@code order.shipped}), a prefix ending in
 * {@code .*} ({@code marketing.*}), or {@code *}. A rule has {@code enabled} (a boolean),
 * {@code channels} (a non-empty array of channel names), or both.</li>
 * <li>{@code quietHours}: {@code {"start": "HH:mm", "end": "HH:mm"}} with
 * {@code start != end}; an end before the start crosses midnight.</li>
 * </ul>
 */
final class PreferencesValidator {

	/** Most category rules per user: each event is matched against all of them. */
	static final int MAX_CATEGORIES = Preferences.MAX_CATEGORY_RULES;

	/** A 24-hour time of day with minutes, as API.md writes quiet hours. */
	private static final Pattern TIME_OF_DAY = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

	private static final String CHANNEL_NAMES = "one of inapp, push, email, sms";

	private static final String DIGEST_SHAPE = "must be \"off\", a duration from PT1M to P7D such as PT1H, "
			+ "or a time of day HH:mm such as 09:00";

	private PreferencesValidator() {
	}

	static Validated<Preferences> validate(JsonNode body) {
		if (!body.isObject()) {
			return Validated.notAnObject();
		}
		FieldProblems problems = new FieldProblems();
		Map<Channel, Boolean> channels = channels(FieldProblems.present(body.get("channels")), problems);
		Map<String, CategoryRule> categories = categories(FieldProblems.present(body.get("categories")), problems);
		QuietHours quietHours = quietHours(FieldProblems.present(body.get("quietHours")), problems);
		return Validated.of(problems, () -> new Preferences(channels, categories, quietHours));
	}

	/** Whether a string is a category pattern. */
	static boolean isCategoryPattern(String value) {
		return CategoryPatterns.isPattern(value);
	}

	/** The time of an {@code HH:mm} string, or {@code null} if it is not one. */
	static @Nullable LocalTime timeOfDay(String value) {
		return TIME_OF_DAY.matcher(value).matches() ? LocalTime.parse(value) : null;
	}

	private static Map<Channel, Boolean> channels(@Nullable JsonNode node, FieldProblems problems) {
		Map<Channel, Boolean> channels = new EnumMap<>(Channel.class);
		if (node == null) {
			return channels;
		}
		if (!node.isObject()) {
			problems.add("channels", "must be an object of channel switches, such as {\"sms\": false}");
			return channels;
		}
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			String field = "channels." + entry.getKey();
			Channel channel = WireNamed.find(Channel.values(), entry.getKey());
			if (channel == null) {
				problems.add(field, "is not a channel: use " + CHANNEL_NAMES);
			}
			else if (!entry.getValue().isBoolean()) {
				problems.add(field, "must be true or false");
			}
			else {
				channels.put(channel, entry.getValue().booleanValue());
			}
		}
		return channels;
	}

	private static Map<String, CategoryRule> categories(@Nullable JsonNode node, FieldProblems problems) {
		Map<String, CategoryRule> categories = new LinkedHashMap<>();
		if (node == null) {
			return categories;
		}
		if (!node.isObject()) {
			problems.add("categories", "must be an object of rules keyed by category pattern");
			return categories;
		}
		if (node.size() > MAX_CATEGORIES) {
			problems.add("categories", "must have at most " + MAX_CATEGORIES + " rules");
			return categories;
		}
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			String field = "categories." + entry.getKey();
			if (!isCategoryPattern(entry.getKey())) {
				problems.add(field, "is not a category pattern: use an event type such as order.shipped, "
						+ "a prefix such as marketing.*, or *");
				continue;
			}
			CategoryRule rule = rule(entry.getValue(), field, problems);
			if (rule != null) {
				categories.put(entry.getKey(), rule);
			}
		}
		return categories;
	}

	private static @Nullable CategoryRule rule(JsonNode node, String field, FieldProblems problems) {
		if (!node.isObject()) {
			problems.add(field, "must be an object with enabled, channels, digest or several of them");
			return null;
		}
		JsonNode enabledNode = FieldProblems.present(node.get("enabled"));
		JsonNode channelsNode = FieldProblems.present(node.get("channels"));
		JsonNode digestNode = FieldProblems.present(node.get("digest"));
		if (enabledNode == null && channelsNode == null && digestNode == null) {
			problems.add(field, "must have enabled, channels, digest or several of them");
			return null;
		}
		boolean valid = true;
		if (enabledNode != null && !enabledNode.isBoolean()) {
			problems.add(field + ".enabled", "must be true or false");
			valid = false;
		}
		Set<Channel> channels = null;
		if (channelsNode != null) {
			channels = ruleChannels(channelsNode, field + ".channels", problems);
			valid &= (channels != null);
		}
		String digest = null;
		if (digestNode != null) {
			digest = digest(digestNode);
			if (digest == null) {
				problems.add(field + ".digest", DIGEST_SHAPE);
				valid = false;
			}
		}
		return valid ? new CategoryRule((enabledNode != null) ? enabledNode.booleanValue() : null, channels, digest)
				: null;
	}

	/** A rule's digest choice, or {@code null} when the node is not one. */
	private static @Nullable String digest(JsonNode node) {
		String text = FieldProblems.text(node);
		if (text == null) {
			return null;
		}
		return (CategoryRule.DIGEST_OFF.equals(text) || DigestWindow.parse(text) != null) ? text : null;
	}

	private static @Nullable Set<Channel> ruleChannels(JsonNode node, String field, FieldProblems problems) {
		if (!node.isArray() || node.isEmpty()) {
			problems.add(field, "must be a non-empty array of " + CHANNEL_NAMES
					+ " (to turn a category off, use \"enabled\": false)");
			return null;
		}
		Set<Channel> channels = EnumSet.noneOf(Channel.class);
		boolean valid = true;
		for (int i = 0; i < node.size(); i++) {
			String name = FieldProblems.text(node.get(i));
			Channel channel = (name != null) ? WireNamed.find(Channel.values(), name) : null;
			if (channel == null) {
				problems.add(field + "[" + i + "]", "must be " + CHANNEL_NAMES);
				valid = false;
			}
			else {
				channels.add(channel);
			}
		}
		return valid ? channels : null;
	}

	private static @Nullable QuietHours quietHours(@Nullable JsonNode node, FieldProblems problems) {
		if (node == null) {
			return null;
		}
		if (!node.isObject()) {
			problems.add("quietHours", "must be an object such as {\"start\": \"22:00\", \"end\": \"07:00\"}");
			return null;
		}
		LocalTime start = time(node, "start", problems);
		LocalTime end = time(node, "end", problems);
		if (start == null || end == null) {
			return null;
		}
		if (start.equals(end)) {
			problems.add("quietHours.end", "must differ from start");
			return null;
		}
		return new QuietHours(start, end);
	}

	private static @Nullable LocalTime time(JsonNode quietHours, String name, FieldProblems problems) {
		JsonNode node = FieldProblems.present(quietHours.get(name));
		String text = FieldProblems.text(node);
		LocalTime time = (text != null) ? timeOfDay(text) : null;
		if (time == null) {
			problems.add("quietHours." + name, (node == null) ? "is required" : "must be a time HH:mm, such as 22:00");
		}
		return time;
	}

}
