package io.herald.events;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A template that events may name: the value of {@link Topics#TEMPLATES}, keyed by its id. A
 * template that is no longer defined is a tombstone (a {@code null} value) under its key.
 *
 * @param schemaVersion the version of this record's shape, {@link #SCHEMA_VERSION} when written
 * @param id the template id, an event's {@code template}
 * @param locales the locales it has texts for, as normalized tags ({@code default}, {@code de},
 * {@code de-de}), sorted
 * @param channels the channels it renders, in channel order; an event that lists a channel
 * outside this set explicitly in {@code channels} is refused
 */
public record TemplateDefined(int schemaVersion, String id, List<String> locales, Set<Channel> channels)
		implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	public TemplateDefined {
		Objects.requireNonNull(id, "id");
		if (!Identifiers.matches(Identifiers.TEMPLATE, id)) {
			throw new IllegalArgumentException("template id '" + id + "' must match [a-z0-9_.-]{1,100}");
		}
		locales = List.copyOf(new TreeSet<>(Objects.requireNonNull(locales, "locales")));
		channels = Channel.setOf(channels);
	}

	/** A definition of the current schema version. */
	public static TemplateDefined of(String id, List<String> locales, Set<Channel> channels) {
		return new TemplateDefined(SCHEMA_VERSION, id, locales, channels);
	}

}
