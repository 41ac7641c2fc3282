package io.herald.events;

import org.jspecify.annotations.Nullable;

/**
 * What one channel shows instead of the event's literal title and body. Every part is
 * optional; a missing part falls back to the event's own.
 *
 * @param title the title (push, in-app) or subject (email)
 * @param body the plain-text body
 * @param html an HTML body, used by email only
 */
public record ChannelContent(@Nullable String title, @Nullable String body, @Nullable String html) {
}
