package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.routing.template.TemplateRenderer;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * A template renderer for tests: knows only {@code welcome}, which renders the locale,
 * the channel and {@code data.name} into the text, so tests see what was passed; and
 * {@code too-long}, which fails to render as an over-budget template would.
 */
class TestTemplates implements TemplateRenderer {

	static final String WELCOME = "welcome";

	static final String TOO_LONG = "too-long";

	@Override
	public boolean awaitCatalog(long catalogOffset) {
		return true;
	}

	@Override
	public boolean contains(String tenant, String templateId) {
		return WELCOME.equals(templateId) || TOO_LONG.equals(templateId);
	}

	@Override
	public Rendered render(String tenant, String templateId, Channel channel, @Nullable String locale,
			Map<String, @Nullable Object> data) {
		if (!contains(tenant, templateId)) {
			throw new UnknownTemplateException(templateId);
		}
		if (TOO_LONG.equals(templateId)) {
			throw new RenderFailedException("the message would be too long", null);
		}
		String greeting = "de-DE".equals(locale) ? "Willkommen" : "Welcome";
		return new Rendered(greeting + ", " + data.get("name"), greeting + " on " + channel.wireName(),
				(channel == Channel.EMAIL) ? "<p>" + greeting + "</p>" : null);
	}

}
