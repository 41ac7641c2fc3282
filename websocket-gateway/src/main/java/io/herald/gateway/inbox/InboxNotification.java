package io.herald.gateway.inbox;

import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Priority;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * A notification as an inbox keeps it and a client receives it: the {@code notification}
 * frame of API.md section 3 without {@code type} and {@code seq} (the seq is the stream
 * entry id).
 *
 * @param id the notification id, stable across redeliveries
 * @param eventId the event it comes from
 * @param category the event's type
 * @param priority the event's priority
 * @param title the rendered title
 * @param body the rendered body
 * @param data the event's data, unchanged
 * @param createdAt when routing created it
 */
public record InboxNotification(String id, String eventId, String category, Priority priority, String title,
		String body, Map<String, @Nullable Object> data, Instant createdAt) {

	/** The inbox form of an in-app delivery request. */
	static InboxNotification of(DeliverNotification notification, ChannelMessage.InApp message) {
		return new InboxNotification(notification.notificationId(), notification.eventId(), notification.category(),
				notification.priority(), message.title(), message.body(), notification.data(),
				notification.createdAt());
	}

}
