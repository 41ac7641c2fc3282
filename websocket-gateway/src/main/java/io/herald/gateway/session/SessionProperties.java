package io.herald.gateway.session;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Users' live connections.
 *
 * @param heartbeat how often clients should ping ({@code heartbeatSec} in {@code hello})
 * and the gateway pings WebSocket clients; a WebSocket that sends nothing, not even a
 * pong, for twice this long is closed as dead
 * @param maxConnectionsPerUser the most connections one user holds across all gateway
 * nodes; one more is closed with {@code 4429} (SSE: {@code 429})
 * @param sendBuffer how many bytes of live notifications may wait in memory for one
 * connection; beyond it the connection reads what it missed from the inbox once its
 * writes caught up, so a burst or a slow client costs bounded memory
 * @param sendTimeout how long writing one frame to a connection may block; then the
 * client is closed as slow ({@code 1013}) and resumes when it reads again
 * @param maxBadFrames how many frames a client may send that the gateway does not
 * understand; one more closes the connection with {@code 4400}
 * @param maxFrameSize the largest frame a client may send (client frames are tiny)
 * @param replayBatch how many notifications one read of the inbox fetches during a resume
 * @param resumeWindow how long after {@code hello} a WebSocket client has to send its
 * first frame (typically {@code resume}) before live notifications flow without it; they
 * wait in the inbox meanwhile, so a reconnecting client receives nothing twice
 * @param allowedOrigins the origins of the web apps that may use the gateway from a
 * browser: the WebSocket handshake checks them, and the inbox API, SSE and the browser
 * client answer them with CORS headers; tokens, not cookies, authenticate, so any origin
 * is safe by default
 * @param ioBufferSize the size of a WebSocket's read and write buffers, taken from
 * Jetty's pool only while data passes; a larger frame passes through them in parts
 */
@Validated
@ConfigurationProperties("herald.gateway.session")
public record SessionProperties(@DefaultValue("25s") @NotNull Duration heartbeat,
		@DefaultValue("10") @Min(1) int maxConnectionsPerUser, @DefaultValue("1MB") @NotNull DataSize sendBuffer,
		@DefaultValue("10s") @NotNull Duration sendTimeout, @DefaultValue("10") @Min(0) int maxBadFrames,
		@DefaultValue("4KB") @NotNull DataSize maxFrameSize, @DefaultValue("200") @Min(1) int replayBatch,
		@DefaultValue("2s") @NotNull Duration resumeWindow, @DefaultValue("*") @NotEmpty List<String> allowedOrigins,
		@DefaultValue("2KB") @NotNull DataSize ioBufferSize) {
}
