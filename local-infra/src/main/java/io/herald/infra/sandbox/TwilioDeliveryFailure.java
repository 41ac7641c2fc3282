package io.herald.infra.sandbox;

/**
 * Why a message {@link TwilioSandbox} accepted did not reach the handset, as its status
 * callback reports it: {@code MessageStatus} {@code undelivered} (or {@code failed}) with
 * Twilio's {@code ErrorCode}.
 */
public enum TwilioDeliveryFailure {

	/** The handset was off or out of coverage (30003). */
	UNREACHABLE(30003, "undelivered"),

	/** The carrier or the recipient blocked it (30004). */
	BLOCKED(30004, "undelivered"),

	/** The number is not in service (30005). */
	UNKNOWN_DESTINATION(30005, "undelivered"),

	/** A landline or a carrier without SMS (30006). */
	LANDLINE(30006, "undelivered"),

	/** The carrier filtered it (30007). */
	CARRIER_FILTERED(30007, "undelivered"),

	/** An unknown error; Twilio reports the message failed (30008). */
	UNKNOWN_ERROR(30008, "failed");

	private final int code;

	private final String status;

	TwilioDeliveryFailure(int code, String status) {
		this.code = code;
		this.status = status;
	}

	/**
	 * @return Twilio's error code, the callback's {@code ErrorCode}
	 */
	public int code() {
		return this.code;
	}

	/**
	 * @return the callback's {@code MessageStatus}
	 */
	public String status() {
		return this.status;
	}

}
