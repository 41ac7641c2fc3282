package io.herald.delivery.receipt;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * One provider receipt about one message.
 *
 * @param source where it came from, for metrics: the Twilio account's name, or
 * {@value #BOUNCE_MAILBOX}
 * @param reference the send's {@link ReceiptReferences receipt reference}, carried by the
 * callback URL or the bounce address
 * @param messageId the provider's id of the message (a Twilio message SID, an email
 * {@code Message-ID}), or {@code null} when the receipt names none; for logs
 * @param address the recipient's address as the receipt names it (a phone number, an
 * email address), or {@code null} when it names none (a redacted complaint)
 * @param outcome what it says
 */
public record Receipt(String source, String reference, @Nullable String messageId, @Nullable String address,
		ReceiptOutcome outcome) {

	/** The source of receipts read from the bounce mailbox. */
	public static final String BOUNCE_MAILBOX = "bounce-mailbox";

	public Receipt {
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(reference, "reference");
		Objects.requireNonNull(outcome, "outcome");
	}

}
