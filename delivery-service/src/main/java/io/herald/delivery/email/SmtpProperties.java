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
 * SMTP relays that send email, tried in this order, and where their bounces come back.
 *
 * @param providers the relays; none means email is not delivered
 * @param bounces the bounce address and the mailbox it delivers to
 */
@Validated
@ConfigurationProperties("herald.delivery.smtp")
public record SmtpProperties(@DefaultValue List<@Valid Relay> providers, @DefaultValue @Valid Bounces bounces) {

	/**
	 * Where bounces and complaints come back: every message is sent with the envelope
	 * sender {@code <local>+<reference>@<domain>} (VERP), and the mailbox that address
	 * delivers to is read for delivery status notifications and feedback reports.
	 *
	 * @param address the bounce address, {@code <local>@<domain>} without a {@code +};
	 * {@code null} (the default) sends with the {@code From} address as envelope sender
	 * and reads no mailbox
	 * @param mailbox the mailbox the bounce address delivers to
	 */
	public record Bounces(@Nullable String address, @DefaultValue @Valid Mailbox mailbox) {

		public Bounces {
			if (address != null && (!address.matches("[^@+\\s]+@[^@\\s]+") || address.length() > 200)) {
				throw new IllegalArgumentException("herald.delivery.smtp.bounces.address must be <local>@<domain> "
						+ "without a '+', but was '" + address + "'");
			}
			if (address != null && (mailbox.host() == null || mailbox.host().isBlank())) {
				throw new IllegalArgumentException(
						"herald.delivery.smtp.bounces.mailbox.host is needed with a bounce address");
			}
		}

	}

	/**
	 * A mailbox read over IMAP.
	 *
	 * @param host the IMAP server
	 * @param port its port: 993 for IMAPS, 143 for IMAP
	 * @param security {@code ssl} (IMAPS), {@code starttls} or {@code none} (only on the
	 * same host or with a local sandbox)
	 * @param username the login, usually the bounce address
	 * @param password the password: from the environment only
	 * @param folder the folder to read
	 * @param pollInterval how long to wait between two readings
	 * @param maxMessages the most messages handled in one reading
	 * @param timeout how long to wait to connect, and for each answer
	 */
	public record Mailbox(@Nullable String host, @DefaultValue("993") @Min(1) int port,
			@DefaultValue("ssl") @NotNull Security security, @Nullable String username, @Nullable String password,
			@DefaultValue("INBOX") @NotBlank String folder, @DefaultValue("30s") @NotNull Duration pollInterval,
			@DefaultValue("100") @Min(1) int maxMessages, @DefaultValue("10s") @NotNull Duration timeout) {

	}

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
