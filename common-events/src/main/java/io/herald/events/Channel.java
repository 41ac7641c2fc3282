package io.herald.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** A way of reaching a user. The wire name is the lower-case name ({@code "inapp"}). */
public enum Channel implements WireNamed {

	INAPP, PUSH, EMAIL, SMS;

	private final String wireName = name().toLowerCase(Locale.ROOT);

	@Override
	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Parses a wire name.
	 * @throws IllegalArgumentException for a name that is not a channel
	 */
	@JsonCreator
	public static Channel fromWireName(String name) {
		return WireNamed.parse(values(), name, "channel");
	}

}
