package io.herald.events;

import java.util.Locale;

/**
 * A priority lane: separate topics with separate consumers, so that bulk traffic can never
 * delay priority traffic.
 */
public enum Lane {

	/** {@code critical} and {@code high} notifications. */
	PRIORITY,

	/** {@code normal} and {@code low} notifications. */
	BULK;

	/** The lane's name as used in topic names. */
	public String topicSuffix() {
		return name().toLowerCase(Locale.ROOT);
	}

}
