package io.herald.routing.template;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The order in which a template's locale files are tried: the requested locale, then the
 * same with its last subtag removed, down to the language, then {@code default}. Locales
 * compare case-insensitively, with {@code _} the same as {@code -}.
 */
final class LocaleFallback {

	/** The locale of {@code default.yml}, the last in every chain. */
	static final String DEFAULT = "default";

	private LocaleFallback() {
	}

	/**
	 * The locale in the form locale files are keyed by: lower case, {@code -} separated.
	 */
	static String normalize(String locale) {
		return locale.strip().replace('_', '-').toLowerCase(Locale.ROOT);
	}

	/**
	 * The locales to try for a requested locale, most specific first: {@code de_DE} gives
	 * {@code [de-de, de, default]}; {@code null} or a blank locale gives
	 * {@code [default]}.
	 */
	static List<String> chain(@Nullable String locale) {
		List<String> chain = new ArrayList<>(4);
		String tag = (locale != null) ? normalize(locale) : "";
		while (!tag.isEmpty()) {
			chain.add(tag);
			tag = tag.substring(0, Math.max(0, tag.lastIndexOf('-')));
		}
		chain.add(DEFAULT);
		return chain;
	}

}
