package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.routing.template.TemplateRenderer;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * A template renderer for tests: knows only {@code welcome}, which renders the locale, the
 * channel and {@code data.name} into the text, so tests see what was passed.
 */
class TestTemplates implements TemplateRenderer {

	static final String WELCOME = "welcome";

	@Override
	public boolean contains(String templateId) {
		return WELCOME.equals(templateId);
	}

	@Override
	public Rendered render(String templateId, Channel channel, @Nullable String locale,
			Map<String, @Nullable Object> data) {
		if (!contains(templateId)) {
			throw new UnknownTemplateException(templateId);
		}
		String greeting = "de-DE".equals(locale) ? "Willkommen" : "Welcome";
		return new Rendered(greeting + ", " + data.get("name"), greeting + " on " + channel.wireName(),
				(channel == Channel.EMAIL) ? "<p>" + greeting + "</p>" : null);
	}

}
