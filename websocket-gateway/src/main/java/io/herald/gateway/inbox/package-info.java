/**
 * Users' in-app inboxes: one Redis stream per user whose entry ids are the gapless,
 * per-user {@code seq} of API.md section 3, filled from the in-app delivery lanes.
 */
@NullMarked
package io.herald.gateway.inbox;

import org.jspecify.annotations.NullMarked;
