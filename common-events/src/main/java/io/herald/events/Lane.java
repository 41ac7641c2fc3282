package io.herald.events;

import java.util.Locale;

/**
 * A priority lane: separate topics with separate consumers and threads, so that no lane's
 * traffic can delay another's. {@code critical} has a lane of its own, so that neither a
 * marketing flood nor a burst of {@code high} notifications is ever ahead of it
 * (docs/adr/014).
 */
public enum Lane {

	/** {@code critical} notifications only. */
	CRITICAL,

	/** {@code high} notifications. */
	PRIORITY,

	/** {@code normal} and {@code low} notifications. */
	BULK;

	/** The lane's name as used in topic names. */
	public String topicSuffix() {
		return name().toLowerCase(Locale.ROOT);
	}

}
