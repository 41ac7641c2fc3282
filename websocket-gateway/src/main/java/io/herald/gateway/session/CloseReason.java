package io.herald.gateway.session;

/**
 * Why the gateway ends a connection, with the WebSocket close code it sends (API.md
 * section 3 names 4400, 4401, 4429 and 1001; the others are additions, listed in the
 * gateway's README and in the AsyncAPI document's {@code x-herald-close-codes}). Every
 * one but {@link #BAD_FRAMES} and {@link #TOKEN_EXPIRED} invites the client to reconnect
 * and resume.
 */
public enum CloseReason {

	/** The client closed the connection, or it broke. */
	CLIENT(1000, "closed"),

	/** The node shuts down; reconnect (to another node) and resume. */
	SHUTDOWN(1001, "server going away"),

	/** Nothing arrived from the client, not even a pong, for two heartbeats. */
	HEARTBEAT_TIMEOUT(1001, "heartbeat timeout"),

	/** The client read too slowly and its send buffer filled up; reconnect and resume. */
	SLOW_CLIENT(1013, "send buffer full, resume"),

	/** Something failed on the gateway's side; reconnect and resume. */
	ERROR(1011, "internal error, resume"),

	/**
	 * Redis, which holds the inbox, cannot be reached right now; reconnect a little later
	 * and resume.
	 */
	UNAVAILABLE(1013, "try again later, resume"),

	/** The client sent too many frames the gateway does not understand. */
	BAD_FRAMES(4400, "too many bad frames"),

	/** The token the connection was opened with expired. */
	TOKEN_EXPIRED(4401, "token expired"),

	/** The user holds the most connections allowed. */
	TOO_MANY_CONNECTIONS(4429, "too many connections for this user");

	private final int code;

	private final String text;

	CloseReason(int code, String text) {
		this.code = code;
		this.text = text;
	}

	/** The WebSocket close code. */
	public int code() {
		return this.code;
	}

	/** The close reason text. */
	public String text() {
		return this.text;
	}

	/** The metric tag. */
	String tag() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
