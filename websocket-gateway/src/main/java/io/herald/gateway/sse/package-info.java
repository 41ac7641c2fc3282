/**
 * {@code /v1/sse}: the live notification stream as Server-Sent Events, for clients that
 * cannot use WebSocket.
 */
@NullMarked
package io.herald.gateway.sse;

import org.jspecify.annotations.NullMarked;
