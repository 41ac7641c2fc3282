package io.herald.delivery.email;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * SMTP relays that send email, tried in this order.
 *
 * @param providers the relays; none means email is not delivered
 */
@Validated
@ConfigurationProperties("herald.delivery.smtp")
public record SmtpProperties(@DefaultValue List<@Valid Relay> providers) {

	/**
	 * One SMTP relay (a mail provider's submission endpoint, or an MTA of one's own).
	 *
	 * @param name the provider's name in metrics, status logs and failover order
	 * @param host the relay's host
	 * @param port its port: 587 for submission with STARTTLS, 465 for implicit TLS
	 * @param username the user to authenticate as, or {@code null} for none
	 * @param password the password: from the environment only
	 * @param security how the connection is protected
	 * @param from the sender, for example {@code Herald <no-reply@example.com>}
	 * @param timeout how long to wait to connect, and for each answer
	 * @param maxInFlight the most messages sent at once: one SMTP connection each, kept
	 * open for the next message
	 * @param ratePerSecond the most messages per second ({@code 0}: no limit)
	 */
	public record Relay(@DefaultValue("smtp") @NotBlank String name, @NotBlank String host,
			@DefaultValue("587") @Min(1) int port, @Nullable String username, @Nullable String password,
			@DefaultValue("starttls") @NotNull Security security, @NotBlank String from,
			@DefaultValue("10s") @NotNull Duration timeout, @DefaultValue("8") @Min(1) int maxInFlight,
			@DefaultValue("0") @DecimalMin("0") double ratePerSecond) {

	}

	/** How an SMTP connection is protected. */
	public enum Security {

		/** Plain text: only for a relay on the same host or a local sandbox. */
		NONE,

		/**
		 * Upgrade to TLS with {@code STARTTLS}, and refuse to send if the relay cannot.
		 */
		STARTTLS,

		/** TLS from the first byte (SMTPS, usually port 465). */
		SSL

	}

}
