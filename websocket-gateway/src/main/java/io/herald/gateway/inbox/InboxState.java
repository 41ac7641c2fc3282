package io.herald.gateway.inbox;

/**
 * Where a user's inbox stands.
 *
 * @param lastSeq the newest seq handed out, {@code 0} before the first notification
 * @param oldestSeq the oldest seq still kept; {@code lastSeq + 1} when nothing is kept
 * @param readUpTo the read cursor: the user has read every seq up to it
 * @param unread the kept notifications after the read cursor
 * @param ackedUpTo the acknowledged cursor: every seq up to it reached a device of the
 * user
 */
public record InboxState(long lastSeq, long oldestSeq, long readUpTo, long unread, long ackedUpTo) {

	/**
	 * Whether a client that has seen every seq up to {@code seenUpTo} misses history that
	 * is gone.
	 */
	public boolean lostHistoryAfter(long seenUpTo) {
		return seenUpTo + 1 < this.oldestSeq && seenUpTo < this.lastSeq;
	}

}
