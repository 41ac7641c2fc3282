package io.herald.events;

import io.herald.events.Preferences.CategoryRule;
import org.jspecify.annotations.Nullable;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an unsubscribe link does to a user's preferences: a pure function from the
 * preferences to the preferences without the email the link names, applied when
 * {@link UserCommand.OptOutEmail} is folded. Preferences that already send no such email
 * come back unchanged (equal), so using a link twice changes nothing the second time.
 *
 * <ul>
 * <li>All email: the email switch goes off ({@code "channels": {"email": false}}).</li>
 * <li>A category's email: the rule that decides the category
 * ({@link Preferences#ruleFor}) is copied under the category's exact name with email
 * taken out of its channels (all channels when it had no list), so the category's other
 * channels stay as they were; with no channel left, the category is turned off
 * ({@code "enabled": false}). Other categories are untouched, whichever pattern they
 * share.</li>
 * </ul>
 * A user who already has the most category rules allowed and none for this category loses
 * all email instead: a new rule would break the limit every write is held to, and the
 * recipient asked to receive less, never more.
 */
public final class EmailOptOut {

	private EmailOptOut() {
	}

	/**
	 * The preferences without the email of a link, held to
	 * {@link Preferences#MAX_CATEGORY_RULES}.
	 * @param category the event type whose email goes, or {@code null} for all email
	 */
	public static Preferences withoutEmail(Preferences preferences, @Nullable String category) {
		return (category != null) ? withoutEmail(preferences, category, Preferences.MAX_CATEGORY_RULES)
				: withoutEmail(preferences);
	}

	/** The preferences without any email. */
	public static Preferences withoutEmail(Preferences preferences) {
		if (Boolean.FALSE.equals(preferences.channels().get(Channel.EMAIL))) {
			return preferences;
		}
		Map<Channel, Boolean> channels = new EnumMap<>(Channel.class);
		channels.putAll(preferences.channels());
		channels.put(Channel.EMAIL, false);
		return new Preferences(channels, preferences.categories(), preferences.quietHours());
	}

	/**
	 * The preferences without email of one category.
	 * @param category an event type, such as {@code marketing.spring-sale}
	 * @param maxRules the most category rules a user may have
	 */
	public static Preferences withoutEmail(Preferences preferences, String category, int maxRules) {
		CategoryRule rule = preferences.ruleFor(category);
		if (!sendsEmail(preferences, rule)) {
			return preferences;
		}
		if (!preferences.categories().containsKey(category) && preferences.categories().size() >= maxRules) {
			return withoutEmail(preferences);
		}
		Set<Channel> remaining = EnumSet.allOf(Channel.class);
		if (rule != null && rule.channels() != null) {
			remaining = EnumSet.copyOf(rule.channels());
		}
		remaining.remove(Channel.EMAIL);
		String digest = (rule != null) ? rule.digest() : null;
		CategoryRule narrowed = remaining.isEmpty() ? new CategoryRule(false, null, digest)
				: new CategoryRule((rule != null) ? rule.enabled() : null, remaining, digest);
		Map<String, CategoryRule> categories = new LinkedHashMap<>(preferences.categories());
		categories.put(category, narrowed);
		return new Preferences(preferences.channels(), categories, preferences.quietHours());
	}

	private static boolean sendsEmail(Preferences preferences, @Nullable CategoryRule rule) {
		if (Boolean.FALSE.equals(preferences.channels().get(Channel.EMAIL))) {
			return false;
		}
		if (rule == null) {
			return true;
		}
		return !Boolean.FALSE.equals(rule.enabled())
				&& (rule.channels() == null || rule.channels().contains(Channel.EMAIL));
	}

}
