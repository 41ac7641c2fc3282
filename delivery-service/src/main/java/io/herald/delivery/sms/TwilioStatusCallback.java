package io.herald.delivery.sms;

import io.herald.delivery.receipt.ReceiptOutcome;
import io.herald.delivery.receipt.ReceiptReason;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Twilio status callback, from its form parameters: {@code MessageSid},
 * {@code MessageStatus} ({@code queued}, {@code sent}, {@code delivered},
 * {@code undelivered}, {@code failed}, ...), {@code ErrorCode} for a failure, {@code To},
 * {@code AccountSid}.
 *
 * @param messageSid the message ({@code SM} or {@code MM} and 32 hex digits)
 * @param status Twilio's status word
 * @param errorCode Twilio's error code, or {@code null}
 * @param to the recipient, or {@code null} when not given
 * @param accountSid the account the message was sent from
 */
record TwilioStatusCallback(String messageSid, String status, @Nullable Integer errorCode, @Nullable String to,
		String accountSid) {

	private static final Pattern MESSAGE_SID = Pattern.compile("(SM|MM)[0-9a-fA-F]{32}");

	private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");

	private static final Pattern STATUS = Pattern.compile("[a-z_]{1,32}");

	private static final Pattern ERROR_CODE = Pattern.compile("[0-9]{1,6}");

	private static final Set<Integer> INVALID_NUMBER = Set.of(21211, 21614);

	/**
	 * Reads a callback's parameters.
	 * @throws IllegalArgumentException naming the first parameter missing or out of shape
	 */
	static TwilioStatusCallback parse(Map<String, String> params) {
		String sid = required(params, "MessageSid", MESSAGE_SID);
		String status = params.containsKey("MessageStatus") ? required(params, "MessageStatus", STATUS)
				: required(params, "SmsStatus", STATUS);
		String account = required(params, "AccountSid", ACCOUNT_SID);
		String code = params.get("ErrorCode");
		Integer errorCode = null;
		if (code != null && !code.isEmpty()) {
			if (!ERROR_CODE.matcher(code).matches()) {
				throw new IllegalArgumentException("ErrorCode must be a number of up to 6 digits");
			}
			errorCode = Integer.valueOf(code);
		}
		String to = params.get("To");
		if (to != null && to.length() > 64) {
			throw new IllegalArgumentException("To must be at most 64 characters");
		}
		return new TwilioStatusCallback(sid, status, errorCode, to, account);
	}

	private static String required(Map<String, String> params, String name, Pattern shape) {
		String value = params.get(name);
		if (value == null || value.isEmpty()) {
			throw new IllegalArgumentException(name + " is missing");
		}
		if (!shape.matcher(value).matches()) {
			throw new IllegalArgumentException(name + " must match " + shape.pattern());
		}
		return value;
	}

	/**
	 * What the callback says: {@code delivered} delivers, {@code undelivered} and
	 * {@code failed} fail with the reason of the error code, every other status
	 * ({@code queued}, {@code sending}, {@code sent}, {@code read}...) is a step on the
	 * way.
	 */
	ReceiptOutcome outcome() {
		return switch (this.status) {
			case "delivered" -> new ReceiptOutcome.Delivered();
			case "undelivered", "failed" -> new ReceiptOutcome.Failed(reason(this.errorCode),
					"Twilio " + this.status + ((this.errorCode != null) ? " " + this.errorCode : ""));
			default -> new ReceiptOutcome.InProgress(this.status);
		};
	}

	/** The reason of a Twilio error code of an undelivered or failed message. */
	static ReceiptReason reason(@Nullable Integer errorCode) {
		if (errorCode == null) {
			return ReceiptReason.UNDELIVERED;
		}
		if (INVALID_NUMBER.contains(errorCode)) {
			return ReceiptReason.INVALID_NUMBER;
		}
		return switch (errorCode) {
			case 30003 -> ReceiptReason.UNREACHABLE;
			case 30004 -> ReceiptReason.BLOCKED;
			case 30005 -> ReceiptReason.UNKNOWN_DESTINATION;
			case 30006 -> ReceiptReason.LANDLINE;
			case 30007 -> ReceiptReason.CARRIER_FILTERED;
			case 21610 -> ReceiptReason.UNSUBSCRIBED;
			default -> ReceiptReason.UNDELIVERED;
		};
	}

}
