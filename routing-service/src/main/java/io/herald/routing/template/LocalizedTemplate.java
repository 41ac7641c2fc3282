package io.herald.routing.template;

import com.samskivert.mustache.Template;
import io.herald.events.Channel;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * One locale file of a template, compiled: the file's own fields and each channel's overrides.
 * Absent fields are absent from the maps.
 *
 * @param location the file, for messages
 * @param fields the file's top-level fields
 * @param overrides the fields of the {@code inapp:}, {@code push:}, {@code email:} and
 * {@code sms:} sections
 */
record LocalizedTemplate(String location, Map<TemplateField, Template> fields,
		Map<Channel, Map<TemplateField, Template>> overrides) {

	LocalizedTemplate {
		fields = Map.copyOf(fields);
		overrides = Map.copyOf(overrides);
	}

	/** The channel's override of the field, else the file's own field, else {@code null}. */
	@Nullable Template find(Channel channel, TemplateField field) {
		Map<TemplateField, Template> override = this.overrides.get(channel);
		Template template = (override != null) ? override.get(field) : null;
		return (template != null) ? template : this.fields.get(field);
	}

}
