package io.herald.gateway.inbox;

import java.util.List;

/**
 * The Redis names of one user's inbox. Every key shares the hash tag
 * {@code {tenant:userId}}, so in a Redis cluster they live in one slot and one script can
 * update them atomically.
 *
 * @param stream the notifications, with entry ids {@code <seq>-0}
 * @param seq the last seq handed out
 * @param ids notification id to seq, for the notifications still in the stream and those
 * trimmed within the deduplication window
 * @param cursors a hash with the user's read cursor ({@code read}) and acknowledged
 * cursor ({@code ack})
 * @param presence the user's open sessions on every node, scored by when they lapse,
 * which say the nodes a change of the inbox is sent to (see {@link LiveDispatch})
 * @param trimmed the ids of notifications trimmed within the deduplication window, scored
 * by their append time, whose entries {@code ids} keeps until they leave the window
 * @param hidden the seqs of the stream that are no notification to show or count as
 * unread: those of retracted notifications and of the retractions themselves
 * (docs/adr/029), each scored by itself
 */
public record InboxKeys(String stream, String seq, String ids, String cursors, String presence, String trimmed,
		String hidden) {

	/** The keys of a user's inbox. */
	public static InboxKeys of(String tenant, String userId) {
		String prefix = "herald:inbox:{" + tenant + ":" + userId + "}:";
		return new InboxKeys(prefix + "stream", prefix + "seq", prefix + "ids", prefix + "cursors",
				"herald:presence:{" + tenant + ":" + userId + "}", prefix + "trimmed", prefix + "hidden");
	}

	/** The keys every inbox script takes, in the order the scripts expect them. */
	List<String> scriptKeys() {
		return List.of(this.stream, this.seq, this.ids, this.cursors, this.presence, this.trimmed, this.hidden);
	}

	/** The stream entry id of a seq. */
	static String entryId(long seq) {
		return seq + "-0";
	}

	/** The seq of a stream entry id ({@code <seq>-0}). */
	static long seqOf(String entryId) {
		int dash = entryId.indexOf('-');
		return Long.parseLong((dash < 0) ? entryId : entryId.substring(0, dash));
	}

}
