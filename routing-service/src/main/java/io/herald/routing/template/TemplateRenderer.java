package io.herald.routing.template;

import io.herald.events.Channel;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * Renders an event's template for one channel and locale: the tenant's own template of
 * that id if it has one, else the one every tenant shares. The locale falls back from the
 * most specific to the default: {@code de-DE}, then {@code de}, then the template's
 * default.
 */
public interface TemplateRenderer {

	/**
	 * Waits, for a bounded time, until the tenant templates in force here are loaded and
	 * include every change that an event's ingestion had read
	 * ({@code EventAccepted.catalogOffset}), so that an event sent after a template
	 * change was answered renders with that change.
	 * @param catalogOffset the event's catalog offset, {@code 0} for an event without one
	 * @return {@code false} when the catalog could not be read that far in time (the
	 * event is then rendered with what was read)
	 */
	boolean awaitCatalog(long catalogOffset);

	/** Whether the tenant may use a template of this id: its own, or a shared one. */
	boolean contains(String tenant, String templateId);

	/**
	 * Renders a template.
	 * @param tenant the event's tenant
	 * @param templateId the event's {@code template}
	 * @param channel the channel to render for (a channel may have its own text, e.g. a
	 * short SMS)
	 * @param locale the user's BCP 47 locale, or {@code null} for the default
	 * @param data the event's {@code data}, the template's model
	 * @throws UnknownTemplateException when the tenant has no such template
	 * @throws RenderFailedException when the template cannot be rendered with this data
	 * within its budget
	 */
	Rendered render(String tenant, String templateId, Channel channel, @Nullable String locale,
			Map<String, @Nullable Object> data);

	/**
	 * A rendered template.
	 *
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

	/**
	 * A template could not be rendered with an event's data: it would iterate too often
	 * or write too much ({@link RenderBudget}). Permanent for that event and template.
	 */
	class RenderFailedException extends RuntimeException {

		public RenderFailedException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

}
