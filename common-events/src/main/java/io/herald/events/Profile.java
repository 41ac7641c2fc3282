package io.herald.events;

import org.jspecify.annotations.Nullable;

/**
 * A user's profile and contact points, as {@code PUT /v1/users/{userId}} stores it.
 *
 * @param email the address for email, or {@code null}
 * @param phone the E.164 number for SMS, or {@code null}
 * @param locale the BCP 47 locale for templates, for example {@code de-DE}, or {@code null}
 * @param timezone the IANA timezone for quiet hours, for example {@code Europe/Berlin}, or
 * {@code null} for UTC
 */
public record Profile(@Nullable String email, @Nullable String phone, @Nullable String locale,
		@Nullable String timezone) {

	/** A user nobody told Herald about: no contact points, default locale, UTC. */
	public static final Profile EMPTY = new Profile(null, null, null, null);

}
