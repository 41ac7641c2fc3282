package io.herald.gateway.inbox;

/**
 * What appending a notification to an inbox did.
 *
 * @param seq the notification's seq in the user's inbox
 * @param appended {@code true} when this call appended it, {@code false} when it had been
 * appended before (a redelivery) and nothing changed
 */
record AppendResult(long seq, boolean appended) {

	/**
	 * Reads the reply of {@code inbox-append.lua}: the seq, negated for a duplicate.
	 * @throws IllegalStateException for a reply that is no seq (zero)
	 */
	static AppendResult fromScriptReply(long reply) {
		if (reply == 0) {
			throw new IllegalStateException("inbox-append.lua replied 0, which is no seq");
		}
		return new AppendResult(Math.abs(reply), reply > 0);
	}

}
