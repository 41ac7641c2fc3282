package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * The texts of one locale of a template, as Mustache sources: what one locale file of a
 * template holds (the template format of the routing service). Every text is optional
 * here; a template's {@code default} locale has at least a title and a body, which the
 * routing service checks before a template is stored.
 *
 * @param title the title (push, in-app) or subject (email) of every channel
 * @param body the plain-text body of every channel
 * @param html the HTML body of an email
 * @param channels what one channel shows instead: its own title, body and (email only)
 * HTML
 */
public record TemplateTexts(@Nullable String title, @Nullable String body, @Nullable String html,
		Map<Channel, ChannelContent> channels) {

	public TemplateTexts {
		channels = Channel.mapOf(channels);
	}

}
