package io.herald.client;

/**
 * Herald's answer to a publish.
 *
 * @param eventId the event's id, for {@link Events#status(String)}
 * @param duplicate {@code true} when an event with the same idempotency key was accepted
 * within the last 24 h: nothing new was published and {@code eventId} is the first
 * event's
 */
public record Published(String eventId, boolean duplicate) {
}
