package io.herald.gateway.inbox;

import org.jspecify.annotations.Nullable;

/**
 * What the inbox scripts publish on a user's live channel ({@link InboxKeys#live()}), for every
 * gateway node that holds a connection of the user. The format is a one-letter kind, then fields
 * separated by single spaces, the last being a ready-made frame so that a node forwards it to its
 * clients without encoding it again:
 * <ul>
 * <li>{@code n <seq> <appendedAtMs> <notification frame>}: a notification was appended;</li>
 * <li>{@code t <seq> <appendedAtMs> <traceparent> <notification frame>}: the same, with the W3C
 * trace context of the append, which the push to each session continues. A kind of its own, so
 * that a node that does not know it (during a rolling upgrade) ignores it, and its sessions read
 * the notification from the inbox at the next gap or resume, rather than forwarding the context
 * as part of the frame;</li>
 * <li>{@code u <unread frame>}: the read cursor moved;</li>
 * <li>{@code x}: the inbox was erased, its seqs start over at 1.</li>
 * </ul>
 * Pub/Sub is at most once: a node that misses a message (while reconnecting, say) notices the gap
 * at the next seq, or when its subscription is restored, and reads the inbox instead.
 */
public sealed interface LiveMessage {

	/** The message {@code InboxStore} publishes when it erases an inbox. */
	String ERASED = "x";

	/**
	 * Reads a live message.
	 * @return the message, or {@code null} for text in no known format
	 */
	static @Nullable LiveMessage parse(String text) {
		if (text.equals(ERASED)) {
			return new Erased();
		}
		if (text.length() < 3 || text.charAt(1) != ' ') {
			return null;
		}
		return switch (text.charAt(0)) {
			case 'n' -> notification(text, false);
			case 't' -> notification(text, true);
			case 'u' -> new Unread(text.substring(2));
			default -> null;
		};
	}

	private static @Nullable LiveMessage notification(String text, boolean traced) {
		int seqEnd = text.indexOf(' ', 2);
		int timeEnd = (seqEnd < 0) ? -1 : text.indexOf(' ', seqEnd + 1);
		if (timeEnd < 0 || timeEnd == text.length() - 1) {
			return null;
		}
		long seq = digits(text, 2, seqEnd);
		long appendedAtMs = digits(text, seqEnd + 1, timeEnd);
		if (seq <= 0 || appendedAtMs < 0) {
			return null;
		}
		String traceparent = null;
		int frameStart = timeEnd + 1;
		if (traced) {
			int traceEnd = text.indexOf(' ', frameStart);
			if (traceEnd <= frameStart || traceEnd == text.length() - 1) {
				return null;
			}
			traceparent = text.substring(frameStart, traceEnd);
			frameStart = traceEnd + 1;
		}
		return new Notification(seq, appendedAtMs, text.substring(frameStart), traceparent);
	}

	/** The number written in plain decimal digits between {@code from} and {@code to}, else {@code -1}. */
	private static long digits(String text, int from, int to) {
		if (from >= to || to - from > 18) {
			return -1;
		}
		long value = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	/**
	 * A notification appended to the inbox.
	 *
	 * @param seq its seq
	 * @param appendedAtMs when it was appended, by Redis's clock
	 * @param frame its {@code notification} frame
	 * @param traceparent the trace context of the append, {@code null} when it had none
	 */
	record Notification(long seq, long appendedAtMs, String frame, @Nullable String traceparent) implements LiveMessage {
	}

	/**
	 * The read cursor moved.
	 *
	 * @param frame the {@code unread} frame
	 */
	record Unread(String frame) implements LiveMessage {
	}

	/** The inbox was erased: its history and seqs are gone. */
	record Erased() implements LiveMessage {
	}

}
