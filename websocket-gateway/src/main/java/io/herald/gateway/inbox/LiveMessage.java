package io.herald.gateway.inbox;

import org.jspecify.annotations.Nullable;

/**
 * What the inbox scripts publish on a user's live channel ({@link InboxKeys#live()}), for every
 * gateway node that holds a connection of the user. The format is a one-letter kind, then fields
 * separated by single spaces, the last being a ready-made frame so that a node forwards it to its
 * clients without encoding it again:
 * <ul>
 * <li>{@code n <seq> <appendedAtMs> <notification frame>}: a notification was appended;</li>
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
		if (text.isEmpty()) {
			return null;
		}
		try {
			return switch (text.charAt(0)) {
				case 'n' -> {
					int seqEnd = text.indexOf(' ', 2);
					int timeEnd = text.indexOf(' ', seqEnd + 1);
					yield new Notification(Long.parseLong(text, 2, seqEnd, 10),
							Long.parseLong(text, seqEnd + 1, timeEnd, 10), text.substring(timeEnd + 1));
				}
				case 'u' -> new Unread(text.substring(2));
				case 'x' -> new Erased();
				default -> null;
			};
		}
		catch (NumberFormatException | IndexOutOfBoundsException ex) {
			return null;
		}
	}

	/**
	 * A notification appended to the inbox.
	 *
	 * @param seq its seq
	 * @param appendedAtMs when it was appended, by Redis's clock
	 * @param frame its {@code notification} frame
	 */
	record Notification(long seq, long appendedAtMs, String frame) implements LiveMessage {
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
