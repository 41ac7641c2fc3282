package io.herald.routing.template;

import org.jspecify.annotations.Nullable;

import java.util.Locale;

/** A text of a template, named in template files by its lower-case name. */
enum TemplateField {

	/** The title (push, in-app) or subject (email). */
	TITLE,

	/** The plain-text body. */
	BODY,

	/** The HTML body of an email; the only field rendered with HTML escaping. */
	HTML;

	private final String key = name().toLowerCase(Locale.ROOT);

	/** The key in a template file. */
	String key() {
		return this.key;
	}

	/** The field with this key, or {@code null} if the key names no field. */
	static @Nullable TemplateField ofKey(String key) {
		for (TemplateField field : values()) {
			if (field.key.equals(key)) {
				return field;
			}
		}
		return null;
	}

}
