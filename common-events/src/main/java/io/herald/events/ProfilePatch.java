package io.herald.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A change to some fields of a {@link Profile}, as {@code PATCH /v1/users/{userId}} asks
 * for it (a JSON merge patch, RFC 7396): the fields in {@code set} take those values, the
 * fields named in {@code remove} are cleared, every other field keeps its value.
 *
 * @param set the new values; its {@code null} fields are left as they are
 * @param remove the names of the fields to clear ({@code email}, {@code phone},
 * {@code locale}, {@code timezone}); none of them is also set
 */
public record ProfilePatch(Profile set, @JsonInclude(JsonInclude.Include.NON_EMPTY) Set<String> remove) {

	/** The names of a profile's fields. */
	public static final Set<String> FIELDS = Set.of("email", "phone", "locale", "timezone");

	public ProfilePatch {
		Objects.requireNonNull(set, "set");
		remove = (remove != null) ? Collections.unmodifiableSortedSet(new TreeSet<>(remove)) : Set.of();
		for (String field : remove) {
			if (!FIELDS.contains(field)) {
				throw new IllegalArgumentException("'" + field + "' is not a profile field");
			}
			if (value(set, field) != null) {
				throw new IllegalArgumentException("'" + field + "' is both set and removed");
			}
		}
	}

	/** The profile with this patch applied. */
	public Profile applyTo(Profile profile) {
		return new Profile(merged(profile, "email"), merged(profile, "phone"), merged(profile, "locale"),
				merged(profile, "timezone"));
	}

	private @Nullable String merged(Profile profile, String field) {
		if (this.remove.contains(field)) {
			return null;
		}
		String value = value(this.set, field);
		return (value != null) ? value : value(profile, field);
	}

	private static @Nullable String value(Profile profile, String field) {
		return switch (field) {
			case "email" -> profile.email();
			case "phone" -> profile.phone();
			case "locale" -> profile.locale();
			case "timezone" -> profile.timezone();
			default -> throw new IllegalArgumentException("'" + field + "' is not a profile field");
		};
	}

}
