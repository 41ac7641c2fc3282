package io.herald.gateway.inbox;

/** The sessions on this node, which live messages for their users are handed to. */
public interface LocalSessions {

	/**
	 * Hands a live message to every session of the user on this node, if any; never
	 * blocks.
	 * @param size the message's size in characters, which counts against each session's
	 * send buffer
	 */
	void deliver(String tenant, String userId, LiveMessage message, int size);

}
