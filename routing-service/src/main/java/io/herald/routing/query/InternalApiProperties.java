package io.herald.routing.query;

import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How routing instances talk to each other.
 *
 * @param internalToken the shared secret every instance sends as
 * {@code X-Herald-Internal} to the owner of a user or of a tenant's templates and
 * requires on {@code /actuator/userstate/**} and {@code /actuator/templatestate/**}
 * (management port); every instance must have the same one, at least {@value #MIN_LENGTH}
 * characters, from the environment only ({@code HERALD_ROUTING_INTERNALTOKEN}). Unset:
 * this instance neither forwards reads nor answers forwarded ones, which suits a single
 * instance
 */
@ConfigurationProperties("herald.routing")
public record InternalApiProperties(@Nullable String internalToken) {

	/** Shorter tokens are guessable. */
	static final int MIN_LENGTH = 32;

	/** Values from examples and old defaults that must never guard a real deployment. */
	private static final Set<String> PLACEHOLDERS = Set.of("change-me", "changeme", "change_me", "herald-internal",
			"compose-internal-token", "secret", "password", "placeholder", "todo");

	public InternalApiProperties {
		if (internalToken != null) {
			String normalized = internalToken.strip().toLowerCase(Locale.ROOT);
			if (normalized.isEmpty() || PLACEHOLDERS.contains(normalized) || normalized.startsWith("change-me")
					|| normalized.startsWith("changeme")) {
				throw new IllegalArgumentException("herald.routing.internal-token (HERALD_ROUTING_INTERNALTOKEN) is "
						+ (normalized.isEmpty() ? "blank" : "a placeholder") + ": set a random secret of at least "
						+ MIN_LENGTH
						+ " characters shared by every routing instance (openssl rand -hex 32), or leave it unset "
						+ "for a single instance");
			}
			if (internalToken.length() < MIN_LENGTH) {
				throw new IllegalArgumentException(
						"herald.routing.internal-token (HERALD_ROUTING_INTERNALTOKEN) must be " + "at least "
								+ MIN_LENGTH + " characters long, but has " + internalToken.length()
								+ ": use a random secret such as openssl rand -hex 32");
			}
		}
	}

}
