package io.herald.gateway.preferences;

import io.herald.support.secrets.SharedSecrets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The token the gateway sends to routing's preferences endpoint.
 *
 * @param preferencesToken the same value as routing's
 * {@code herald.routing.preferences-token}, from the environment only
 * ({@code HERALD_ROUTING_PREFERENCESTOKEN}, the same variable): it opens users'
 * preferences on routing and nothing else. Held to the rules of every shared secret
 * @param internalToken routing's shared token ({@code HERALD_ROUTING_INTERNALTOKEN}),
 * used only while no {@code preferencesToken} is set, as before the two were separated;
 * it also opens every user's state, so a gateway should not hold it. Both unset: the
 * preferences endpoints answer {@code 503}
 */
@ConfigurationProperties("herald.routing")
record RoutingTokenProperties(@Nullable String preferencesToken, @Nullable String internalToken) {

	RoutingTokenProperties {
		if (preferencesToken != null) {
			SharedSecrets.check(preferencesToken, "herald.routing.preferences-token (HERALD_ROUTING_PREFERENCESTOKEN)",
					"the gateway and every routing instance", "to answer the preferences endpoints with 503");
		}
		if (internalToken != null) {
			SharedSecrets.check(internalToken, "herald.routing.internal-token (HERALD_ROUTING_INTERNALTOKEN)",
					"the gateway and every routing instance", "to answer the preferences endpoints with 503");
		}
	}

	/** The token to send: the preferences token, else the internal token, else none. */
	@Nullable String token() {
		return (this.preferencesToken != null) ? this.preferencesToken : this.internalToken;
	}

	/** Whether the gateway holds routing's instances' token for want of its own. */
	boolean fallsBackToInternalToken() {
		return this.preferencesToken == null && this.internalToken != null;
	}

}
