package io.herald.routing.template;

import io.herald.events.ChannelContent;
import io.herald.events.TemplateTexts;
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

	/** This field's text of a locale's own fields, or {@code null}. */
	@Nullable String of(TemplateTexts texts) {
		return switch (this) {
			case TITLE -> texts.title();
			case BODY -> texts.body();
			case HTML -> texts.html();
		};
	}

	/** This field's text of a channel's section, or {@code null}. */
	@Nullable String of(ChannelContent texts) {
		return switch (this) {
			case TITLE -> texts.title();
			case BODY -> texts.body();
			case HTML -> texts.html();
		};
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
