package io.herald.support.secrets;

import java.util.Locale;
import java.util.Set;

/**
 * The check every secret that instances share is held to (routing's internal token, the
 * unsubscribe links' signing key): not blank, not a value from an example or an old
 * default, and long enough not to be guessed. A setting that fails it stops the service
 * at start, naming the setting and its environment variable.
 */
public final class SharedSecrets {

	/** Shorter secrets are guessable. */
	public static final int MIN_LENGTH = 32;

	/** Values from examples and old defaults that must never guard a real deployment. */
	private static final Set<String> PLACEHOLDERS = Set.of("change-me", "changeme", "change_me", "herald-internal",
			"compose-internal-token", "secret", "password", "placeholder", "todo");

	private SharedSecrets() {
	}

	/**
	 * Checks a configured secret.
	 * @param value the secret
	 * @param setting the property and its variable, such as
	 * {@code herald.routing.internal-token (HERALD_ROUTING_INTERNALTOKEN)}
	 * @param who who must share it, such as {@code every routing instance}
	 * @param unset what leaving it unset means, such as {@code for a single instance}
	 * @throws IllegalArgumentException saying what is wrong and what to set instead
	 */
	public static void check(String value, String setting, String who, String unset) {
		String normalized = value.strip().toLowerCase(Locale.ROOT);
		if (normalized.isEmpty() || PLACEHOLDERS.contains(normalized) || normalized.startsWith("change-me")
				|| normalized.startsWith("changeme")) {
			throw new IllegalArgumentException(setting + " is " + (normalized.isEmpty() ? "blank" : "a placeholder")
					+ ": set a random secret of at least " + MIN_LENGTH + " characters shared by " + who
					+ " (openssl rand -hex 32), or leave it unset " + unset);
		}
		if (value.length() < MIN_LENGTH) {
			throw new IllegalArgumentException(
					setting + " must be at least " + MIN_LENGTH + " characters long, but has " + value.length()
							+ ": use a random secret such as openssl rand -hex 32");
		}
	}

}
