package io.herald.routing.digest;

import io.herald.events.DigestChoice;
import io.herald.events.DigestSetting;
import io.herald.events.Preferences;
import io.herald.events.Preferences.CategoryRule;
import io.herald.events.Priority;
import org.jspecify.annotations.Nullable;

/**
 * Whether a notification for a user is digested (docs/adr/036), a pure rule:
 * <ul>
 * <li>{@code critical} never is;</li>
 * <li>the user's most specific category rule decides first: {@code "digest": "off"} sends
 * at once, a window digests the rule's pattern over it;</li>
 * <li>otherwise the tenant's most specific setting for the category digests it.</li>
 * </ul>
 */
public final class DigestPolicy {

	private final DigestLookup settings;

	public DigestPolicy(DigestLookup settings) {
		this.settings = settings;
	}

	/** The digest of a notification, or {@code null} when it goes out at once. */
	public @Nullable DigestPlan decide(String tenant, String category, Priority priority, Preferences preferences) {
		if (priority == Priority.CRITICAL) {
			return null;
		}
		DigestSetting setting = this.settings.find(tenant, category);
		String template = (setting != null) ? setting.templateOrDefault() : DigestSetting.DEFAULT_TEMPLATE;
		CategoryRule rule = preferences.ruleFor(category);
		DigestChoice choice = (rule != null) ? rule.digestChoice() : new DigestChoice.Tenant();
		return switch (choice) {
			case DigestChoice.Off off -> null;
			case DigestChoice.Digest digest ->
				new DigestPlan(userPattern(preferences.patternFor(category)), digest.window(), template);
			case DigestChoice.Tenant tenantChoice ->
				(setting != null) ? new DigestPlan(setting.pattern(), setting.digestWindow(), template) : null;
		};
	}

	private static String userPattern(@Nullable String pattern) {
		if (pattern == null) {
			throw new IllegalStateException("a rule without a pattern");
		}
		return pattern;
	}

}
