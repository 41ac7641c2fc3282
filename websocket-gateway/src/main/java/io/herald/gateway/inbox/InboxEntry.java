package io.herald.gateway.inbox;

/**
 * One notification in a user's inbox.
 *
 * @param seq its position: per user, starting at 1, without gaps
 * @param notification the notification
 */
public record InboxEntry(long seq, InboxNotification notification) {
}
