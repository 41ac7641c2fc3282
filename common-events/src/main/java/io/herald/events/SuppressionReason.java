package io.herald.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Why an address is suppressed ({@link Suppression}): a permanent failure a provider
 * reported for it, or an operator's decision. The wire name is the reason routing reports
 * a suppressed delivery with ({@code "reason": "bad_address"}).
 */
public enum SuppressionReason implements WireNamed {

	/** The mail server said the mailbox does not exist (a hard bounce). */
	BAD_ADDRESS,

	/** The SMS provider said the number is not a mobile number that can be reached. */
	INVALID_NUMBER,

	/** The recipient opted out at the provider (replied STOP to a text message). */
	UNSUBSCRIBED,

	/** The recipient marked a message as spam. */
	COMPLAINT,

	/** Someone suppressed the address through the user API, for a reason of their own. */
	MANUAL;

	private final String wireName = name().toLowerCase(Locale.ROOT);

	@Override
	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Parses a wire name.
	 * @throws IllegalArgumentException for a name that is not a reason
	 */
	@JsonCreator
	public static SuppressionReason fromWireName(String name) {
		return WireNamed.parse(values(), name, "suppression reason");
	}

}
