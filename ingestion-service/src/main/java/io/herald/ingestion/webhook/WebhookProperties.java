package io.herald.ingestion.webhook;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Webhooks: the endpoints tenants register and how they are called.
 *
 * @param maxEndpointsPerTenant how many endpoints one tenant may register
 * @param allowPrivateNetworks whether endpoints may be on loopback, private, link-local
 * or unique-local addresses; off in production so that a tenant cannot make Herald call
 * into its own network, on in the local stack and tests, whose receivers listen on
 * 127.0.0.1
 * @param connectTimeout how long a call may take to connect
 * @param callTimeout how long a whole call may take, connecting and the answer included;
 * also how long a batch of calls starts new calls before it postpones the rest to the
 * first retry topic
 * @param concurrencyPerEndpoint how many calls one endpoint gets at once
 * @param attempts tries in all, the first included; each retry waits in a topic of its
 * own ({@code herald.webhooks.retry-<n>}), so this also sets how many retry topics there
 * are
 * @param initialDelay the delay before the first retry
 * @param multiplier each later retry waits this many times longer
 * @param maxDelay no retry waits longer than this, also when the endpoint's
 * {@code Retry-After} asks for more
 * @param jitter the share of each delay drawn at random: 0.5 makes a 20 s delay anything
 * from 10 to 20 s
 * @param maxAge a call not delivered this long after it was made is given up, whatever
 * its tries, also one that was only ever postponed (its endpoint unreachable or busy)
 * @param previousSecretValidity how long calls are also signed with an endpoint's
 * previous secret after it was rotated, so that receivers can switch without missing a
 * call
 * @param senders consumers of the webhook topics in this instance (each of the main topic
 * and of its retry topics)
 * @param writeTimeout how long the dispatcher and the sender wait for the broker to
 * acknowledge the calls, retries and dead letters they write before they commit their
 * input
 */
@Validated
@ConfigurationProperties("herald.ingestion.webhooks")
public record WebhookProperties(@DefaultValue("20") @Min(1) @Max(1000) int maxEndpointsPerTenant,
		@DefaultValue("false") boolean allowPrivateNetworks, @DefaultValue("2s") @NotNull Duration connectTimeout,
		@DefaultValue("10s") @NotNull Duration callTimeout,
		@DefaultValue("4") @Min(1) @Max(64) int concurrencyPerEndpoint,
		@DefaultValue("8") @Min(1) @Max(20) int attempts, @DefaultValue("5s") @NotNull Duration initialDelay,
		@DefaultValue("4") @DecimalMin("1.0") double multiplier, @DefaultValue("1h") @NotNull Duration maxDelay,
		@DefaultValue("0.5") @DecimalMin("0.0") @DecimalMax("1.0") double jitter,
		@DefaultValue("24h") @NotNull Duration maxAge, @DefaultValue("24h") @NotNull Duration previousSecretValidity,
		@DefaultValue("2") @Min(1) @Max(64) int senders, @DefaultValue("10s") @NotNull Duration writeTimeout) {

	/** How many retry topics there are. */
	public int levels() {
		return Math.max(this.attempts - 1, 1);
	}

}
