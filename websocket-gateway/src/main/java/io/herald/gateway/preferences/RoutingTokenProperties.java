package io.herald.gateway.preferences;

import io.herald.support.secrets.SharedSecrets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Routing's shared token, which its internal endpoints require.
 *
 * @param internalToken the same value as routing's {@code herald.routing.internal-token},
 * from the environment only ({@code HERALD_ROUTING_INTERNALTOKEN}, the same variable);
 * held to the same rules. Unset: the preferences endpoints answer {@code 503}
 */
@ConfigurationProperties("herald.routing")
record RoutingTokenProperties(@Nullable String internalToken) {

	RoutingTokenProperties {
		if (internalToken != null) {
			SharedSecrets.check(internalToken, "herald.routing.internal-token (HERALD_ROUTING_INTERNALTOKEN)",
					"the gateway and every routing instance", "to answer the preferences endpoints with 503");
		}
	}

}
