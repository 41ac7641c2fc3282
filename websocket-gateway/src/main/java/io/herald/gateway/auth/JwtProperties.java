package io.herald.gateway.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The keys that sign user tokens, one per tenant. Secrets come from the environment only,
 * for example {@code HERALD_GATEWAY_JWT_TENANTS_0_TENANT} and
 * {@code HERALD_GATEWAY_JWT_TENANTS_0_SECRET}; a tenant that signs with its own private
 * key names its JWK set instead ({@code HERALD_GATEWAY_JWT_TENANTS_0_JWKSURL}).
 *
 * @param tenants each tenant's HS256 secret or JWK set
 * @param clockSkew how far the clocks of the token issuer and the gateway may disagree
 * when checking {@code exp} and {@code nbf}
 */
@Validated
@ConfigurationProperties("herald.gateway.jwt")
public record JwtProperties(@DefaultValue List<@Valid TenantKey> tenants,
		@DefaultValue("30s") @NotNull Duration clockSkew) {

	/**
	 * How one tenant's tokens are verified: with a shared HS256 secret, or with the
	 * public keys its backend publishes as a JSON Web Key Set (RS256 or ES256), so that
	 * the private key never leaves the tenant. Exactly one of the two.
	 *
	 * @param tenant the tenant, as the tokens' {@code tid} claim names it
	 * @param secret the HS256 secret, at least 32 bytes (RFC 7518, section 3.2)
	 * @param jwksUrl where the tenant publishes its JWK set ({@code https://...}); keys
	 * are cached and fetched again when a token names a key id the cache lacks, so keys
	 * rotate without a restart
	 */
	public record TenantKey(@NotBlank String tenant, @Nullable String secret, @Nullable URI jwksUrl) {

		@ConstructorBinding
		public TenantKey {
			boolean hasSecret = secret != null && !secret.isBlank();
			if (hasSecret == (jwksUrl != null)) {
				throw new IllegalArgumentException("Tenant '" + tenant + "' needs either a JWT secret (HS256) or a "
						+ "jwks-url (RS256, ES256), not " + (hasSecret ? "both" : "neither"));
			}
			if (jwksUrl != null && !"https".equals(jwksUrl.getScheme()) && !"http".equals(jwksUrl.getScheme())) {
				throw new IllegalArgumentException(
						"The jwks-url of tenant '" + tenant + "' must be an http(s) URL, not " + jwksUrl);
			}
		}

		/** A tenant whose tokens are signed with an HS256 secret. */
		public TenantKey(String tenant, String secret) {
			this(tenant, secret, null);
		}

		@Override
		public String toString() {
			return "TenantKey[tenant=" + this.tenant
					+ ((this.secret != null) ? ", secret=(hidden)]" : ", jwksUrl=" + this.jwksUrl + "]");
		}

	}

}
