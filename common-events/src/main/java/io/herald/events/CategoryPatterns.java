package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Category patterns, as preferences and digest settings key their rules: an event type
 * ({@code order.shipped}), a prefix ending in {@code *} ({@code marketing.*}), or
 * {@code *}.
 */
public final class CategoryPatterns {

	/**
	 * An event type ({@code [a-z0-9_.-]{1,100}}), optionally followed by {@code .*}; or
	 * {@code *}.
	 */
	private static final Pattern PATTERN = Pattern.compile("\\*|[a-z0-9_.-]{1,100}(\\.\\*)?");

	private CategoryPatterns() {
	}

	/** Whether a string is a category pattern. */
	public static boolean isPattern(String value) {
		return PATTERN.matcher(value).matches();
	}

	/**
	 * The most specific pattern matching a category. An exact pattern
	 * ({@code order.shipped}) beats every wildcard; among wildcards (a pattern ending in
	 * {@code *}, matching every category that starts with what precedes the {@code *})
	 * the longest prefix wins; {@code *} matches everything and is the least specific.
	 * @return the winning pattern, or {@code null} when none matches
	 */
	public static @Nullable String bestMatch(Collection<String> patterns, String category) {
		if (patterns.contains(category)) {
			return category;
		}
		String best = null;
		int bestLength = -1;
		for (String pattern : patterns) {
			if (!pattern.endsWith("*")) {
				continue;
			}
			String prefix = pattern.substring(0, pattern.length() - 1);
			if (category.startsWith(prefix) && prefix.length() > bestLength) {
				best = pattern;
				bestLength = prefix.length();
			}
		}
		return best;
	}

}
