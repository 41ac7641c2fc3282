package io.herald.client;

import java.util.Locale;

/** A channel Herald delivers through, by its name on the wire. */
public enum Channel {

	INAPP, PUSH, EMAIL, SMS;

	/** The name on the wire: {@code inapp}, {@code push}, {@code email}, {@code sms}. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
