package io.herald.routing.preference;

import io.herald.events.Channel;

/**
 * What the user's preferences and contact points decide for one channel of one event:
 * deliver it, or skip it with a stable reason (see {@link ChannelPreferences} for the
 * catalogue).
 */
public sealed interface ChannelDecision {

	/** The channel decided on. */
	Channel channel();

	/** The channel may carry the event. */
	record Deliver(Channel channel) implements ChannelDecision {
	}

	/**
	 * The channel does not carry the event.
	 *
	 * @param reason a stable reason, for example {@code preference} or {@code no_email}
	 */
	record Skip(Channel channel, String reason) implements ChannelDecision {
	}

}
