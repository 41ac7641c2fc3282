package io.herald.client;

import org.jspecify.annotations.Nullable;

/**
 * A user's profile and contact points; a field left {@code null} is absent.
 *
 * @param email the email address
 * @param phone the phone number in E.164 ({@code +4915112345678})
 * @param locale the locale ({@code de-DE}) templates render for
 * @param timezone the IANA time zone ({@code Europe/Berlin}) quiet hours are in
 */
public record Profile(@Nullable String email, @Nullable String phone, @Nullable String locale,
		@Nullable String timezone) {
}
