package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A user's profile and contact points, as {@code PUT /v1/users/{userId}} stores it.
 *
 * @param email the address for email, or {@code null}
 * @param phone the E.164 number for SMS, or {@code null}
 * @param locale the BCP 47 locale for templates, for example {@code de-DE}, or
 * {@code null}
 * @param timezone the IANA timezone for quiet hours, for example {@code Europe/Berlin},
 * or {@code null} for UTC
 */
public record Profile(@Nullable String email, @Nullable String phone, @Nullable String locale,
		@Nullable String timezone) {

	/** A user nobody told Herald about: no contact points, default locale, UTC. */
	public static final Profile EMPTY = new Profile(null, null, null, null);

	/**
	 * The address this profile has for a channel: the email address for email, the phone
	 * number for SMS, {@code null} for a channel without one (in-app, push) or when the
	 * field is not set.
	 */
	public @Nullable String address(Channel channel) {
		return switch (channel) {
			case EMAIL -> this.email;
			case SMS -> this.phone;
			case INAPP, PUSH -> null;
		};
	}

	/**
	 * A strong validator of this profile, the user API's {@code ETag} without its quotes:
	 * equal for equal profiles on every instance and release, different (but for a 96-bit
	 * hash collision) for different ones. Derived from the content, so it needs no
	 * counter kept in step.
	 */
	public String entityTag() {
		MessageDigest sha256;
		try {
			sha256 = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
		for (String field : new String[] { this.email, this.phone, this.locale, this.timezone }) {
			if (field == null) {
				sha256.update((byte) 0);
			}
			else {
				byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
				sha256.update((byte) 1);
				sha256.update(new byte[] { (byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
						(byte) (bytes.length >>> 8), (byte) bytes.length });
				sha256.update(bytes);
			}
		}
		byte[] digest = sha256.digest();
		return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
	}

}
