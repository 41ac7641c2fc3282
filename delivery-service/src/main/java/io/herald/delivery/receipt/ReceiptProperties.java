package io.herald.delivery.receipt;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * Provider receipts.
 *
 * @param publicBaseUrl the delivery service's public URL as providers reach it (for
 * example {@code https://delivery.example.com}): Twilio's status callbacks are sent to
 * {@code <publicBaseUrl>/v1/receipts/twilio/<account>/<reference>}, and checked against
 * it; {@code null} (the default) asks for no status callbacks
 * @param retention how long a send's receipt reference is kept: receipts that come later
 * (a bounce after days of retries by a remote mail server) are counted as unknown
 * @param writeTimeout how long to wait for the broker to take a receipt's status
 */
@Validated
@ConfigurationProperties("herald.delivery.receipts")
public record ReceiptProperties(@Nullable URI publicBaseUrl, @DefaultValue("7d") @NotNull Duration retention,
		@DefaultValue("10s") @NotNull Duration writeTimeout) {

	public ReceiptProperties {
		if (publicBaseUrl != null && (publicBaseUrl.getScheme() == null || publicBaseUrl.getHost() == null
				|| publicBaseUrl.getRawQuery() != null || publicBaseUrl.getRawFragment() != null)) {
			throw new IllegalArgumentException("herald.delivery.receipts.public-base-url must be an absolute http(s) "
					+ "URL without query or fragment, but was " + publicBaseUrl);
		}
	}

	/**
	 * The public base URL without a trailing slash, or {@code null} when none is set.
	 */
	public @Nullable String baseUrl() {
		return (this.publicBaseUrl != null) ? this.publicBaseUrl.toString().replaceAll("/+$", "") : null;
	}

}
