package io.herald.client;

import java.util.Locale;

/**
 * An event's priority (API.md, {@code POST /v1/events}): {@link #CRITICAL} bypasses quiet
 * hours and rate limits and never waits behind lower priorities.
 */
public enum Priority {

	CRITICAL, HIGH, NORMAL, LOW;

	/**
	 * The name on the wire: {@code critical}, {@code high}, {@code normal}, {@code low}.
	 */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
