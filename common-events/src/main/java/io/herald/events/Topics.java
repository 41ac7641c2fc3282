package io.herald.events;

/**
 * Every topic Herald uses, in one place. Topic names only ever gain versions: a breaking change
 * of a value type is a new topic ({@code herald.events.v2}), never a new meaning of an old one.
 */
public final class Topics {

	/** Accepted events, written by ingestion once durable; read by routing and the status view. */
	public static final Topic<EventAccepted> EVENTS = new Topic<>("herald.events", "tenant|eventId",
			new JsonCodec<>(EventAccepted.class, EventAccepted.SCHEMA_VERSION));

	/** Every stage's decisions and outcomes per delivery; read by the status view. */
	public static final Topic<StatusReported> STATUS = new Topic<>("herald.status", "tenant|eventId",
			new JsonCodec<>(StatusReported.class, StatusReported.SCHEMA_VERSION));

	/** The suffix of a topic's dead-letter topic: {@code herald.status} dead-letters to {@code herald.status.dlt}. */
	public static final String DEAD_LETTER_SUFFIX = ".dlt";

	private Topics() {
	}

	/** The dead-letter topic of a topic. */
	public static String deadLetter(String topic) {
		return topic + DEAD_LETTER_SUFFIX;
	}

}
