package io.herald.delivery.apns;

import io.herald.delivery.provider.ProviderLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * APNs accounts that send iOS push, tried in this order.
 *
 * @param providers the accounts; none means iOS devices get no push
 */
@Validated
@ConfigurationProperties("herald.delivery.apns")
public record ApnsProperties(@DefaultValue List<@Valid Account> providers) {

	/**
	 * One APNs account: token authentication ({@code signingKey}, {@code teamId},
	 * {@code keyId}) or certificate authentication ({@code certificate}), not both.
	 *
	 * @param name the provider's name in metrics, status logs and failover order
	 * @param host {@code api.push.apple.com}, {@code api.sandbox.push.apple.com} for
	 * development builds, or a local sandbox
	 * @param port 443, or 2197 where 443 is blocked
	 * @param topic the app's bundle id, for devices registered without an {@code appId}
	 * @param signingKey the {@code .p8} key from Apple's developer account
	 * @param teamId the team the key belongs to
	 * @param keyId the key's id
	 * @param certificate a {@code .p12} client certificate instead of a signing key
	 * @param certificatePassword its password: from the environment only
	 * @param trustedServerCertificate a PEM certificate to trust instead of the system's
	 * authorities: a local sandbox, or a proxy
	 * @param timeout how long to wait to connect, and for APNs' answer
	 * @param concurrentConnections HTTP/2 connections to APNs, each carrying many streams
	 * @param maxInFlight the most notifications waiting for APNs' answer at once
	 * @param ratePerSecond the most notifications per second ({@code 0}: no limit)
	 */
	public record Account(@DefaultValue("apns") @NotBlank String name,
			@DefaultValue("api.push.apple.com") @NotBlank String host,
			@DefaultValue("443") @Min(1) @Max(65535) int port, @NotBlank String topic, @Nullable Path signingKey,
			@Nullable String teamId, @Nullable String keyId, @Nullable Path certificate,
			@Nullable String certificatePassword, @Nullable Path trustedServerCertificate,
			@DefaultValue("10s") @NotNull Duration timeout, @DefaultValue("1") @Min(1) int concurrentConnections,
			@DefaultValue("" + ProviderLimits.DEFAULT_MAX_IN_FLIGHT) @Min(1) int maxInFlight,
			@DefaultValue("0") @DecimalMin("0") double ratePerSecond) {

		public Account {
			boolean token = signingKey != null;
			boolean tls = certificate != null;
			if (token == tls) {
				throw new IllegalArgumentException("APNs account '" + name
						+ "' needs exactly one of 'signing-key' (token authentication) and 'certificate'");
			}
			if (token && (teamId == null || teamId.isBlank() || keyId == null || keyId.isBlank())) {
				throw new IllegalArgumentException(
						"APNs account '" + name + "' uses a signing key, so it needs 'team-id' and 'key-id' too");
			}
		}

	}

}
