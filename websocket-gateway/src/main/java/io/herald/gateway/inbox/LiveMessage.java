package io.herald.gateway.inbox;

import org.jspecify.annotations.Nullable;

/**
 * What a gateway node hands to the sessions of a user: a change of the user's inbox.
 * Between nodes it travels on the receiving node's live channel
 * ({@link GatewayNode#channel()}), one message per line, each line
 * {@code <tenant> <userId> <message>} (neither a tenant nor a user id holds a space, and
 * no message a line break). A message is a one-letter kind, then fields separated by
 * single spaces, the last being a ready-made frame so that a node forwards it to its
 * clients without encoding it again:
 * <ul>
 * <li>{@code n <seq> <appendedAtMs> <notification frame>}: a notification was
 * appended;</li>
 * <li>{@code t <seq> <appendedAtMs> <traceparent> <notification frame>}: the same, with
 * the W3C trace context of the append, which the push to each session continues;</li>
 * <li>{@code u <unread frame>}: the read cursor moved;</li>
 * <li>{@code x}: the inbox was erased, its seqs start over at 1.</li>
 * </ul>
 * An {@code appendedAtMs} of 0 means unknown (a notification sent again after a retried
 * append). Pub/Sub is at most once: a node that misses a message (while reconnecting,
 * say) notices the gap at the next seq, or when its subscription is restored, and reads
 * the inbox instead.
 */
public sealed interface LiveMessage {

	/** The message {@code InboxStore} sends when it erases an inbox. */
	String ERASED = "x";

	/**
	 * The message as it is written on a live channel, which {@link #parse} reads back.
	 */
	String text();

	/** Its size in characters, which counts against a session's send buffer. */
	int size();

	/**
	 * Adds one user's message to what a node's live channel gets: a line of its own,
	 * {@code <tenant> <userId> <message>}.
	 */
	static void appendLine(StringBuilder lines, String tenant, String userId, LiveMessage message) {
		if (!lines.isEmpty()) {
			lines.append('\n');
		}
		lines.append(tenant).append(' ').append(userId).append(' ').append(message.text());
	}

	/**
	 * Reads what a node's live channel got and hands each user's message to the sessions.
	 * @return how many lines were in no known format (they are skipped)
	 */
	static int deliverLines(String lines, LocalSessions sessions) {
		int invalid = 0;
		int start = 0;
		while (start <= lines.length()) {
			int end = lines.indexOf('\n', start);
			if (end < 0) {
				end = lines.length();
			}
			int tenantEnd = lines.indexOf(' ', start);
			int userEnd = (tenantEnd < 0 || tenantEnd >= end) ? -1 : lines.indexOf(' ', tenantEnd + 1);
			LiveMessage message = (userEnd < 0 || userEnd >= end || tenantEnd == start || userEnd == tenantEnd + 1)
					? null : parse(lines.substring(userEnd + 1, end));
			if (message == null) {
				invalid++;
			}
			else {
				sessions.deliver(lines.substring(start, tenantEnd), lines.substring(tenantEnd + 1, userEnd), message,
						message.size());
			}
			start = end + 1;
		}
		return invalid;
	}

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

	/**
	 * The number written in plain decimal digits between {@code from} and {@code to},
	 * else {@code -1}.
	 */
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
	record Notification(long seq, long appendedAtMs, String frame,
			@Nullable String traceparent) implements LiveMessage {

		/**
		 * The live message of an appended notification.
		 * @param json the notification as its inbox keeps it (a JSON object without
		 * {@code seq})
		 */
		public static Notification of(long seq, long appendedAtMs, String json, @Nullable String traceparent) {
			return new Notification(seq, appendedAtMs,
					"{\"type\":\"notification\",\"seq\":" + seq + "," + json.substring(1), traceparent);
		}

		@Override
		public String text() {
			return (this.traceparent == null) ? "n " + this.seq + " " + this.appendedAtMs + " " + this.frame
					: "t " + this.seq + " " + this.appendedAtMs + " " + this.traceparent + " " + this.frame;
		}

		@Override
		public int size() {
			return this.frame.length() + 40;
		}

	}

	/**
	 * The read cursor moved.
	 *
	 * @param frame the {@code unread} frame
	 */
	record Unread(String frame) implements LiveMessage {

		/**
		 * The message of a read cursor moved to {@code readUpTo}, {@code unread} kept
		 * after it.
		 */
		public static Unread of(long unread, long readUpTo) {
			return new Unread("{\"type\":\"unread\",\"count\":" + unread + ",\"readUpTo\":" + readUpTo + "}");
		}

		@Override
		public String text() {
			return "u " + this.frame;
		}

		@Override
		public int size() {
			return this.frame.length();
		}

	}

	/** The inbox was erased: its history and seqs are gone. */
	record Erased() implements LiveMessage {

		@Override
		public String text() {
			return ERASED;
		}

		@Override
		public int size() {
			return 1;
		}

	}

}
