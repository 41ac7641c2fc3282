package io.herald.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import org.jspecify.annotations.Nullable;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A way of reaching a user. The wire name is the lower-case name ({@code "inapp"}). */
public enum Channel implements WireNamed {

	INAPP, PUSH, EMAIL, SMS;

	private final String wireName = name().toLowerCase(Locale.ROOT);

	@Override
	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	/** An immutable copy of channels, in channel order (so encodings are stable). */
	public static Set<Channel> setOf(@Nullable Collection<Channel> channels) {
		return (channels == null || channels.isEmpty()) ? Set.of()
				: Collections.unmodifiableSet(EnumSet.copyOf(channels));
	}

	/**
	 * An immutable copy of a map keyed by channel, in channel order (so encodings are
	 * stable).
	 */
	public static <V> Map<Channel, V> mapOf(@Nullable Map<Channel, V> byChannel) {
		return (byChannel == null || byChannel.isEmpty()) ? Map.of()
				: Collections.unmodifiableMap(new EnumMap<>(byChannel));
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
