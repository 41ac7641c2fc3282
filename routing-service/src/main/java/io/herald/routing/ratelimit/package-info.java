/**
 * Per-user rate limits of routed notifications: a sliding log per user, category and
 * channel.
 */
@NullMarked
package io.herald.routing.ratelimit;

import org.jspecify.annotations.NullMarked;
