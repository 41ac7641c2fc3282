package io.herald.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * How urgent a notification is; {@link #CRITICAL} bypasses quiet hours and rate limits.
 */
public enum Priority implements WireNamed {

	CRITICAL(Lane.CRITICAL), HIGH(Lane.PRIORITY), NORMAL(Lane.BULK), LOW(Lane.BULK);

	private final Lane lane;

	private final String wireName = name().toLowerCase(Locale.ROOT);

	Priority(Lane lane) {
		this.lane = lane;
	}

	/** The lane this priority travels in. */
	public Lane lane() {
		return this.lane;
	}

	@Override
	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Parses a wire name.
	 * @throws IllegalArgumentException for a name that is not a priority
	 */
	@JsonCreator
	public static Priority fromWireName(String name) {
		return WireNamed.parse(values(), name, "priority");
	}

}
