package io.herald.client;

import java.util.Locale;

/** Why Herald does not send to an address (docs/api.md, "Suppressed addresses"). */
public enum SuppressionReason {

	/** A hard bounce: the mailbox does not exist or refuses for good. */
	BAD_ADDRESS,

	/** The phone number is not one a text can reach (a landline, an invalid number). */
	INVALID_NUMBER,

	/** The recipient opted out (replied STOP, the provider's own opt-out). */
	UNSUBSCRIBED,

	/** The recipient reported mail as spam. */
	COMPLAINT,

	/** Added by hand, for any other reason. */
	MANUAL,

	/**
	 * A reason of a newer Herald that this client does not know; read only, a write with
	 * it is refused before it is sent.
	 */
	OTHER;

	/** The name on the wire, such as {@code bad_address}. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	static SuppressionReason of(String wireName) {
		for (SuppressionReason reason : values()) {
			if (reason != OTHER && reason.wireName().equals(wireName)) {
				return reason;
			}
		}
		return OTHER;
	}

}
