package io.herald.gateway.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * The keys that sign user tokens, one per tenant. Secrets come from the environment only, for
 * example {@code HERALD_GATEWAY_JWT_TENANTS_0_TENANT} and {@code HERALD_GATEWAY_JWT_TENANTS_0_SECRET}.
 *
 * @param tenants each tenant's HS256 secret
 * @param clockSkew how far the clocks of the token issuer and the gateway may disagree when
 * checking {@code exp} and {@code nbf}
 */
@Validated
@ConfigurationProperties("herald.gateway.jwt")
public record JwtProperties(@DefaultValue List<@Valid TenantKey> tenants,
		@DefaultValue("30s") @NotNull Duration clockSkew) {

	/**
	 * One tenant's signing key.
	 *
	 * @param tenant the tenant, as the tokens' {@code tid} claim names it
	 * @param secret the HS256 secret, at least 32 bytes (RFC 7518, section 3.2)
	 */
	public record TenantKey(@NotBlank String tenant, @NotBlank String secret) {

		@Override
		public String toString() {
			return "TenantKey[tenant=" + this.tenant + ", secret=(hidden)]";
		}

	}

}
