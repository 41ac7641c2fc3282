/** The WebSocket gateway: users' in-app inboxes and, later, their live sessions. */
@NullMarked
package io.herald.gateway;

import org.jspecify.annotations.NullMarked;
