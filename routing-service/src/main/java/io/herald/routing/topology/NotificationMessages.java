package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.ChannelContent;
import io.herald.events.ChannelMessage;
import io.herald.events.Content;
import io.herald.events.EventAccepted;
import io.herald.events.Profile;
import io.herald.events.UserState;
import io.herald.routing.template.TemplateRenderer;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * Renders an event for one user and channel: literal {@code content} with its per-channel
 * overrides, or the event's template through {@link TemplateRenderer} in the user's
 * locale. Push carries every device of the user, email the user's address, SMS the user's
 * phone number (the preferences already made sure they exist).
 */
final class NotificationMessages {

	private final TemplateRenderer templates;

	NotificationMessages(TemplateRenderer templates) {
		this.templates = templates;
	}

	/**
	 * Whether the event can be rendered at all: literal content, or a template the
	 * event's tenant has. A templated event is looked up in a catalog that has read at
	 * least as far as the event's ingestion had ({@link EventAccepted#catalogOffset()};
	 * loaded, for an event without one), waited for if need be, so an event sent after a
	 * template change was answered sees that change.
	 */
	boolean canRender(EventAccepted event) {
		String template = event.template();
		if (template == null) {
			return true;
		}
		Long offset = event.catalogOffset();
		this.templates.awaitCatalog((offset != null) ? offset : 0);
		return this.templates.contains(event.tenant(), template);
	}

	/**
	 * The message for a channel.
	 * @throws TemplateRenderer.UnknownTemplateException when the event's template does
	 * not exist
	 * @throws TemplateRenderer.RenderFailedException when it cannot be rendered with the
	 * event's data
	 */
	ChannelMessage render(EventAccepted event, UserState user, Channel channel) {
		String title;
		String body;
		String html;
		Content content = event.content();
		if (content != null) {
			title = content.titleFor(channel);
			body = content.bodyFor(channel);
			ChannelContent override = content.overrides().get(channel);
			html = (override != null) ? override.html() : null;
		}
		else {
			TemplateRenderer.Rendered rendered = this.templates.render(event.tenant(),
					Objects.requireNonNull(event.template()), channel, user.profile().locale(), event.data());
			title = rendered.title();
			body = rendered.body();
			html = rendered.html();
		}
		return message(user, channel, title, body, html);
	}

	/**
	 * A message with these texts for a user and channel: push carries every device of the
	 * user, email the user's address, SMS the user's phone number.
	 */
	static ChannelMessage message(UserState user, Channel channel, String title, String body, @Nullable String html) {
		Profile profile = user.profile();
		return switch (channel) {
			case INAPP -> new ChannelMessage.InApp(title, body);
			case PUSH -> new ChannelMessage.Push(title, body, user.devices());
			case EMAIL -> new ChannelMessage.Email(required(profile.email(), "email"), title, body, html);
			case SMS -> new ChannelMessage.Sms(required(profile.phone(), "phone"), body);
		};
	}

	private static String required(@Nullable String value, String what) {
		if (value == null) {
			throw new IllegalStateException("no " + what + " to deliver to");
		}
		return value;
	}

}
