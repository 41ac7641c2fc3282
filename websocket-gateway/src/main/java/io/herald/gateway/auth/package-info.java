/**
 * Who a client is: HS256 user tokens (JWT) signed with their tenant's key, verified on
 * every WebSocket upgrade, SSE stream and inbox request.
 */
@NullMarked
package io.herald.gateway.auth;

import org.jspecify.annotations.NullMarked;
