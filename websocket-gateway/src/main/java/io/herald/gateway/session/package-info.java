/**
 * Live connections of users, over WebSocket or Server-Sent Events: the frames of API.md
 * section 3, resume without gaps or duplicates, acks and read sync, heartbeats, bounded
 * send buffers, the per-user connection limit, and the Redis Pub/Sub that joins gateway
 * nodes.
 */
@NullMarked
package io.herald.gateway.session;

import org.jspecify.annotations.NullMarked;
