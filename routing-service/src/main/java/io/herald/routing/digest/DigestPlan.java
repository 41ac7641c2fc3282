package io.herald.routing.digest;

import io.herald.events.DigestWindow;

/**
 * How a notification for a user is digested.
 *
 * @param pattern the category pattern the digest collects: the user's rule's when it
 * chose a window, else the tenant setting's
 * @param window how long a digest collects
 * @param template the template the digest is rendered with
 */
public record DigestPlan(String pattern, DigestWindow window, String template) {
}
