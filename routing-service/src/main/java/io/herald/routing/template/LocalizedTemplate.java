package io.herald.routing.template;

import com.samskivert.mustache.Template;
import io.herald.events.Channel;
import io.herald.events.ChannelContent;
import io.herald.events.TemplateTexts;
import org.jspecify.annotations.Nullable;

import java.util.EnumMap;
import java.util.Map;

/**
 * One locale of a template, compiled: its own fields and each channel's overrides, and
 * the texts they were compiled from. Absent fields are absent from the maps.
 *
 * @param location the file (or the template and locale), for messages
 * @param texts the sources
 * @param fields the locale's top-level fields
 * @param overrides the fields of the {@code inapp}, {@code push}, {@code email} and
 * {@code sms} sections
 */
record LocalizedTemplate(String location, TemplateTexts texts, Map<TemplateField, Template> fields,
		Map<Channel, Map<TemplateField, Template>> overrides) {

	LocalizedTemplate {
		fields = Map.copyOf(fields);
		overrides = Map.copyOf(overrides);
	}

	/**
	 * Compiles the texts of one locale.
	 * @param location the file (or the template and locale), for messages
	 * @param texts the sources
	 * @param compiler compiles each text, named by its path within the locale
	 * ({@code body}, {@code sms.body}); it reports a problem its own way, and returns
	 * {@code null} for a text it could not compile
	 */
	static LocalizedTemplate compile(String location, TemplateTexts texts, TextCompiler compiler) {
		Map<TemplateField, Template> fields = new EnumMap<>(TemplateField.class);
		for (TemplateField field : TemplateField.values()) {
			String source = field.of(texts);
			Template template = (source != null) ? compiler.compile(field.key(), source, field) : null;
			if (template != null) {
				fields.put(field, template);
			}
		}
		Map<Channel, Map<TemplateField, Template>> overrides = new EnumMap<>(Channel.class);
		for (Map.Entry<Channel, ChannelContent> section : texts.channels().entrySet()) {
			Map<TemplateField, Template> override = new EnumMap<>(TemplateField.class);
			for (TemplateField field : TemplateField.values()) {
				String source = field.of(section.getValue());
				Template template = (source != null)
						? compiler.compile(section.getKey().wireName() + "." + field.key(), source, field) : null;
				if (template != null) {
					override.put(field, template);
				}
			}
			overrides.put(section.getKey(), override);
		}
		return new LocalizedTemplate(location, texts, fields, overrides);
	}

	/**
	 * The channel's override of the field, else the locale's own field, else
	 * {@code null}.
	 */
	@Nullable Template find(Channel channel, TemplateField field) {
		Map<TemplateField, Template> override = this.overrides.get(channel);
		Template template = (override != null) ? override.get(field) : null;
		return (template != null) ? template : this.fields.get(field);
	}

	/** Compiles one text of a locale. */
	@FunctionalInterface
	interface TextCompiler {

		/**
		 * @param path the text's path within the locale: {@code title}, {@code sms.body}
		 * @param source the text
		 * @param field which field it is
		 * @return the compiled text, or {@code null} when it had a problem this compiler
		 * reported
		 */
		@Nullable Template compile(String path, String source, TemplateField field);

	}

}
