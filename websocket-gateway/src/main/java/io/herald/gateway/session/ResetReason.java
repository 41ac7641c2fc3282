package io.herald.gateway.session;

import java.util.Locale;

/**
 * Why a {@code reset} frame tells a client that history it asked for is gone; the client
 * fetches the inbox over HTTP and goes on from the newest seq.
 */
enum ResetReason {

	/** The seqs after the {@code since} of a {@code resume} are no longer kept. */
	HISTORY_TRIMMED,

	/**
	 * The {@code since} of a {@code resume} is above the newest seq: the inbox started
	 * over (its user was erased, or its counter expired).
	 */
	UNKNOWN_SEQ,

	/**
	 * Sent live when the user is erased: history and seqs are gone, seqs start at 1
	 * again.
	 */
	INBOX_ERASED;

	private final String wireName = name().toLowerCase(Locale.ROOT);

	/** The {@code reason} of the frame, and the metric tag. */
	String wireName() {
		return this.wireName;
	}

}
