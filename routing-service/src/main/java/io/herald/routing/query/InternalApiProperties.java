package io.herald.routing.query;

import io.herald.support.secrets.SharedSecrets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How routing instances talk to each other.
 *
 * @param internalToken the shared secret every instance sends as
 * {@code X-Herald-Internal} to the owner of a user or of a tenant's templates and
 * requires on {@code /actuator/userstate/**}, {@code /actuator/templatestate/**} and
 * {@code /actuator/userpreferences/**} (management port; the gateway sends it too); every
 * instance must have the same one, at least {@value SharedSecrets#MIN_LENGTH} characters,
 * from the environment only ({@code HERALD_ROUTING_INTERNALTOKEN}). Unset: this instance
 * neither forwards reads nor answers forwarded ones, which suits a single instance
 */
@ConfigurationProperties("herald.routing")
public record InternalApiProperties(@Nullable String internalToken) {

	public InternalApiProperties {
		if (internalToken != null) {
			SharedSecrets.check(internalToken, "herald.routing.internal-token (HERALD_ROUTING_INTERNALTOKEN)",
					"every routing instance", "for a single instance");
		}
	}

}
