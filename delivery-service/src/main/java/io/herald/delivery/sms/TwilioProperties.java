package io.herald.delivery.sms;

import io.herald.delivery.provider.ProviderLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Twilio accounts that send SMS, tried in this order.
 *
 * @param providers the accounts; none means SMS is not delivered
 */
@Validated
@ConfigurationProperties("herald.delivery.twilio")
public record TwilioProperties(@DefaultValue List<@Valid Account> providers) {

	/**
	 * One Twilio account.
	 *
	 * @param name the provider's name in metrics, status logs and failover order
	 * @param accountSid the account SID ({@code AC...})
	 * @param authToken the auth token: from the environment only
	 * @param from the sending number (E.164), or {@code null} with a messaging service
	 * @param messagingServiceSid the messaging service ({@code MG...}) that picks the
	 * sender, or {@code null} with {@code from}
	 * @param baseUrl Twilio's API root; another value (a local sandbox, a proxy) receives
	 * the SDK's requests instead
	 * @param timeout how long to wait to connect and for an answer
	 * @param maxInFlight the most messages waiting for Twilio's answer at once
	 * @param ratePerSecond the most messages per second ({@code 0}: no limit), for
	 * example the sender's throughput limit
	 */
	public record Account(@DefaultValue("twilio") @NotBlank String name, @NotBlank String accountSid,
			@NotBlank String authToken, @Nullable String from, @Nullable String messagingServiceSid,
			@DefaultValue("https://api.twilio.com") @NotNull URI baseUrl,
			@DefaultValue("10s") @NotNull Duration timeout,
			@DefaultValue("" + ProviderLimits.DEFAULT_MAX_IN_FLIGHT) @Min(1) int maxInFlight,
			@DefaultValue("0") @DecimalMin("0") double ratePerSecond) {

		public Account {
			boolean hasFrom = from != null && !from.isBlank();
			boolean hasService = messagingServiceSid != null && !messagingServiceSid.isBlank();
			if (hasFrom == hasService) {
				throw new IllegalArgumentException("Twilio account '" + name
						+ "' needs exactly one of 'from' (a sending number) and 'messaging-service-sid'");
			}
		}

	}

}
