package io.herald.delivery.provider;

/**
 * Why a provider refused a send for good. Decisions read the cause
 * ({@code DeliveryDecisions}); a rejection carries its own wire reason besides (a
 * provider's own word, such as APNs' {@code bad_device_token}), which defaults to the
 * cause's {@linkplain #reason() reason}.
 */
public enum RejectionCause {

	/**
	 * The device token is gone (unregistered, invalid, for another app): routing forgets
	 * the device.
	 */
	UNREGISTERED_DEVICE("unregistered"),

	/** The address can never be reached: not a phone number, no such mailbox. */
	INVALID_ADDRESS("bad_address"),

	/** The recipient opted out at the provider (replied STOP to a text message). */
	UNSUBSCRIBED("unsubscribed"),

	/**
	 * The provider will never take the message as it is: its content, size, topic or
	 * headers.
	 */
	INVALID_MESSAGE("invalid_message"),

	/**
	 * The provider refused the message for another reason of its own (policy, content).
	 */
	REFUSED("rejected"),

	/**
	 * No configured provider takes the send (no account for the device's platform, for
	 * example).
	 */
	NO_PROVIDER("no_provider");

	private final String reason;

	RejectionCause(String reason) {
		this.reason = reason;
	}

	/**
	 * The stable lower-case reason for the wire and the logs when the provider gives none
	 * of its own.
	 */
	public String reason() {
		return this.reason;
	}

}
