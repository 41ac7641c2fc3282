package io.herald.delivery.receipt;

/**
 * Why a receipt says a message did not reach its recipient, or that the recipient
 * complained about it: the {@code reason} of the status it becomes. Decisions read
 * {@link #permanentAddressFailure()}, never the wire name.
 */
public enum ReceiptReason {

	/**
	 * The mail system said the mailbox does not exist or takes no mail (DSN 5.1.x but
	 * 5.1.7 and 5.1.8, or 5.2.1).
	 */
	BOUNCED("bounced", true),

	/**
	 * The mail system refused the message for good for another reason: a policy or spam
	 * verdict (5.7.x), a full mailbox (5.2.2), a problem with the sender (5.1.7, 5.1.8),
	 * or no status at all. The email failed; the address is not suppressed.
	 */
	REFUSED("rejected", false),

	/** The recipient marked the message as spam (an ARF feedback report). */
	COMPLAINED("complained", true),

	/** The handset was off or out of coverage for too long (Twilio 30003). */
	UNREACHABLE("unreachable", false),

	/** The carrier or the recipient blocked the message (Twilio 30004). */
	BLOCKED("blocked", false),

	/** The number is not in service (Twilio 30005). */
	UNKNOWN_DESTINATION("unknown_destination", true),

	/** A landline or a carrier that takes no text messages (Twilio 30006). */
	LANDLINE("landline", true),

	/**
	 * The carrier filtered the message as spam or unregistered traffic (Twilio 30007).
	 */
	CARRIER_FILTERED("carrier_filtered", false),

	/** The recipient replied STOP to the sender (Twilio 21610). */
	UNSUBSCRIBED("unsubscribed", true),

	/** Not a valid mobile number (Twilio 21211, 21614). */
	INVALID_NUMBER("invalid_number", true),

	/** Any other reason the provider gave (Twilio 30008 and the rest). */
	UNDELIVERED("undelivered", false);

	private final String wireName;

	private final boolean permanentAddressFailure;

	ReceiptReason(String wireName, boolean permanentAddressFailure) {
		this.wireName = wireName;
		this.permanentAddressFailure = permanentAddressFailure;
	}

	/** The status record's {@code reason}. */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Whether the address itself can never be reached again (or must not be written to
	 * again): later messages to it would fail the same way.
	 */
	public boolean permanentAddressFailure() {
		return this.permanentAddressFailure;
	}

}
