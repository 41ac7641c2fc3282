package io.herald.events;

import org.jspecify.annotations.Nullable;

/**
 * A value with a name on the wire, such as a channel ({@code inapp}) or a state
 * ({@code dead-lettered}).
 */
public interface WireNamed {

	/** The name in JSON and on topics. */
	String wireName();

	/** The value with a wire name, or {@code null} if none has it. */
	static <E extends WireNamed> @Nullable E find(E[] values, String name) {
		for (E value : values) {
			if (value.wireName().equals(name)) {
				return value;
			}
		}
		return null;
	}

	/**
	 * The value with a wire name.
	 * @throws IllegalArgumentException when none has it
	 */
	static <E extends WireNamed> E parse(E[] values, String name, String kind) {
		E value = find(values, name);
		if (value == null) {
			throw new IllegalArgumentException("unknown " + kind + " '" + name + "'");
		}
		return value;
	}

}
