package io.herald.support.kafka;

import java.time.Duration;

/**
 * How long each kind of topic keeps records. Every service that may create a topic first
 * declares it with these, so that whichever starts first, the topic is the same.
 */
public final class TopicRetention {

	/** The event log: the window for replaying accepted events into routing. */
	public static final Duration EVENTS = Duration.ofDays(7);

	/** Status records: the status view is rebuilt from them after a loss. */
	public static final Duration STATUS = Duration.ofDays(7);

	/**
	 * User commands: user state lives on in routing's compacted changelog, so commands
	 * are only needed to replay recent writes.
	 */
	public static final Duration USER_COMMANDS = Duration.ofDays(7);

	/**
	 * Template commands: a tenant's templates live on in routing's compacted template
	 * stores and on {@code herald.templates}, so commands are only needed to replay
	 * recent writes.
	 */
	public static final Duration TEMPLATE_COMMANDS = Duration.ofDays(7);

	/**
	 * Delivery lanes and their retry topics: far beyond any provider outage worth waiting
	 * out, and within the delivery ledger's retention, so a request read again is still
	 * recognised.
	 */
	public static final Duration DELIVERY = Duration.ofDays(3);

	/** Dead letters: long enough for an operator to inspect and replay them. */
	public static final Duration DEAD_LETTERS = Duration.ofDays(14);

	private TopicRetention() {
	}

}
