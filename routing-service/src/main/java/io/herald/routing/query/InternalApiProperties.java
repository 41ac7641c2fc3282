package io.herald.routing.query;

import io.herald.support.secrets.SharedSecrets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How routing instances talk to each other, and the gateway to routing.
 *
 * @param internalToken the shared secret every instance sends as
 * {@code X-Herald-Internal} to the owner of a user or of a tenant's templates and
 * requires on {@code /actuator/userstate/**} and {@code /actuator/templatestate/**}
 * (management port), and on {@code /actuator/userpreferences/**} too while no
 * {@code preferencesToken} is set; every instance must have the same one, at least
 * {@value SharedSecrets#MIN_LENGTH} characters, from the environment only
 * ({@code HERALD_ROUTING_INTERNALTOKEN}). Unset: this instance neither forwards reads nor
 * answers forwarded ones, which suits a single instance
 * @param preferencesToken the gateway's own secret, the only one
 * {@code /actuator/userpreferences/**} then accepts: it opens a user's preferences and
 * nothing else, so the gateway need not hold the instances' token; held to the same rules
 * ({@code HERALD_ROUTING_PREFERENCESTOKEN}, the same value on the gateway). Unset: that
 * endpoint takes the {@code internalToken}, as before the two were separated
 */
@ConfigurationProperties("herald.routing")
public record InternalApiProperties(@Nullable String internalToken, @Nullable String preferencesToken) {

	public InternalApiProperties {
		if (internalToken != null) {
			SharedSecrets.check(internalToken, "herald.routing.internal-token (HERALD_ROUTING_INTERNALTOKEN)",
					"every routing instance", "for a single instance");
		}
		if (preferencesToken != null) {
			SharedSecrets.check(preferencesToken, "herald.routing.preferences-token (HERALD_ROUTING_PREFERENCESTOKEN)",
					"the gateway and every routing instance", "to let the internal token open the preferences");
			if (preferencesToken.equals(internalToken)) {
				throw new IllegalArgumentException("herald.routing.preferences-token (HERALD_ROUTING_PREFERENCESTOKEN) "
						+ "must differ from herald.routing.internal-token: it exists so that the gateway does not "
						+ "hold the instances' token");
			}
		}
	}

	/**
	 * The token {@code /actuator/userpreferences} requires: the preferences token, or the
	 * internal token while none is set.
	 */
	public @Nullable String preferencesEndpointToken() {
		return (this.preferencesToken != null) ? this.preferencesToken : this.internalToken;
	}

}
