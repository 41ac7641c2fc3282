package io.herald.routing.template;

import io.herald.events.Channel;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * Renders an event's template for one channel and locale. The locale falls back from the most
 * specific to the default: {@code de-DE}, then {@code de}, then the template's default.
 */
public interface TemplateRenderer {

	/** Whether a template with this id exists. */
	boolean contains(String templateId);

	/**
	 * Renders a template.
	 * @param templateId the event's {@code template}
	 * @param channel the channel to render for (a channel may have its own text, e.g. a short SMS)
	 * @param locale the user's BCP 47 locale, or {@code null} for the default
	 * @param data the event's {@code data}, the template's model
	 * @throws UnknownTemplateException when there is no such template
	 */
	Rendered render(String templateId, Channel channel, @Nullable String locale, Map<String, @Nullable Object> data);

	/**
	 * A rendered template.
	 * @param title the title (push, in-app) or subject (email)
	 * @param body the plain-text body
	 * @param html the HTML body, for email, or {@code null}
	 */
	record Rendered(String title, String body, @Nullable String html) {
	}

	/** No template has the requested id. */
	class UnknownTemplateException extends RuntimeException {

		public UnknownTemplateException(String templateId) {
			super("no template '" + templateId + "'");
		}

	}

}
