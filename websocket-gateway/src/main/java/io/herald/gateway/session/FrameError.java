package io.herald.gateway.session;

import java.util.Locale;

/**
 * The {@code code} of an {@code error} frame: why the last client frame had no effect;
 * the connection stays open.
 */
enum FrameError {

	/**
	 * The frame was not understood; counts towards closing the connection with
	 * {@code 4400}.
	 */
	BAD_FRAME,

	/**
	 * An {@code ack} or {@code read} could not be recorded right now (Redis or the broker
	 * failed); retry.
	 */
	UNAVAILABLE;

	private final String wireName = name().toLowerCase(Locale.ROOT);

	/** The {@code code} of the frame. */
	String wireName() {
		return this.wireName;
	}

}
