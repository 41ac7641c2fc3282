package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Objects;

/**
 * Literal content of an event, used instead of a template.
 *
 * @param title the title shown by every channel unless overridden
 * @param body the body shown by every channel unless overridden
 * @param overrides per-channel replacements, for example a shorter SMS body
 */
public record Content(String title, String body, @Nullable Map<Channel, ChannelContent> overrides) {

	public Content {
		Objects.requireNonNull(title, "title");
		Objects.requireNonNull(body, "body");
		overrides = Channel.mapOf(overrides);
	}

	/** The title for a channel, its override if there is one. */
	public String titleFor(Channel channel) {
		ChannelContent override = this.overrides.get(channel);
		return (override != null && override.title() != null) ? override.title() : this.title;
	}

	/** The body for a channel, its override if there is one. */
	public String bodyFor(Channel channel) {
		ChannelContent override = this.overrides.get(channel);
		return (override != null && override.body() != null) ? override.body() : this.body;
	}

}
