package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.DigestSetting;
import io.herald.routing.template.MustacheTemplateCatalog;
import io.herald.routing.template.TemplateRenderer;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * A template renderer for tests: knows only {@code welcome}, which renders the locale,
 * the channel and {@code data.name} into the text, so tests see what was passed; and
 * {@code too-long}, which fails to render as an over-budget template would; and the
 * shipped {@code digest} template, rendered as the service renders it; and
 * {@code broken}, whose rendering throws an unexpected exception.
 */
class TestTemplates implements TemplateRenderer {

	private static final MustacheTemplateCatalog SHIPPED = MustacheTemplateCatalog.fromClasspath();

	static final String WELCOME = "welcome";

	static final String TOO_LONG = "too-long";

	/** A template whose rendering fails as a bug would: with an unexpected exception. */
	static final String BROKEN = "broken";

	@Override
	public boolean awaitCatalog(long catalogOffset) {
		return true;
	}

	@Override
	public boolean contains(String tenant, String templateId) {
		return WELCOME.equals(templateId) || TOO_LONG.equals(templateId) || BROKEN.equals(templateId)
				|| DigestSetting.DEFAULT_TEMPLATE.equals(templateId);
	}

	@Override
	public Rendered render(String tenant, String templateId, Channel channel, @Nullable String locale,
			Map<String, @Nullable Object> data) {
		if (!contains(tenant, templateId)) {
			throw new UnknownTemplateException(templateId);
		}
		if (BROKEN.equals(templateId)) {
			throw new IllegalStateException("a bug in rendering");
		}
		if (DigestSetting.DEFAULT_TEMPLATE.equals(templateId)) {
			return SHIPPED.render(templateId, channel, locale, data);
		}
		if (TOO_LONG.equals(templateId)) {
			throw new RenderFailedException("the message would be too long", null);
		}
		String greeting = "de-DE".equals(locale) ? "Willkommen" : "Welcome";
		return new Rendered(greeting + ", " + data.get("name"), greeting + " on " + channel.wireName(),
				(channel == Channel.EMAIL) ? "<p>" + greeting + "</p>" : null);
	}

}
