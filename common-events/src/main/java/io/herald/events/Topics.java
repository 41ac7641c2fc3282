package io.herald.events;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every topic Herald uses, in one place. Topic names only ever gain versions: a breaking
 * change of a value type is a new topic ({@code herald.events.v2}), never a new meaning
 * of an old one.
 */
public final class Topics {

	/**
	 * Accepted events of every priority but {@code critical}, written by ingestion once
	 * durable; read by routing and the status view. The log also carries the
	 * cancellations of its events ({@link EventCancelled}, under the event's key, told
	 * apart by their CloudEvents type): a reader of both reads {@link EventLogRecord}s.
	 */
	public static final Topic<EventAccepted> EVENTS = new Topic<>(Names.EVENTS, "tenant|eventId",
			new JsonCodec<>(EventAccepted.class, EventAccepted.SCHEMA_VERSION));

	/**
	 * Accepted {@code critical} events: the same keys and values as {@link #EVENTS}, in a
	 * log of their own that routing reads with a Kafka Streams application of its own, so
	 * that no event of another priority is ever ahead of a critical one (docs/adr/014).
	 * Read by the status view too.
	 */
	public static final Topic<EventAccepted> CRITICAL_EVENTS = new Topic<>(Names.CRITICAL_EVENTS, "tenant|eventId",
			EVENTS.codec());

	/** Every stage's decisions and outcomes per delivery; read by the status view. */
	public static final Topic<StatusReported> STATUS = new Topic<>(Names.STATUS, "tenant|eventId",
			new JsonCodec<>(StatusReported.class, StatusReported.BATCH_SCHEMA_VERSION));

	/**
	 * Changes to users' state from the user API, and dead device tokens from delivery;
	 * folded into {@link UserState} by routing. The value is a {@link UserCommand}, which
	 * names its kind.
	 */
	public static final Topic<UserCommand> USER_COMMANDS = new Topic<>(Names.USER_COMMANDS, "tenant|userId",
			new JsonCodec<>(UserCommand.class, UserCommand.CONDITIONAL_SCHEMA_VERSION));

	/**
	 * The template catalog: every template events may name, compacted, one record per
	 * template (a tombstone for one that is gone). Written by routing, which renders
	 * templates; read from the beginning by ingestion, which refuses events naming a
	 * template that is not there. A shared template is keyed by its id; a tenant's own
	 * template {@code tenant|id} (ids never contain {@code |}), with its whole content,
	 * written by routing's template fold from {@link #TEMPLATE_COMMANDS}. Every routing
	 * instance follows it too, and renders from it.
	 */
	public static final Topic<TemplateDefined> TEMPLATES = new Topic<>("herald.templates",
			"templateId, or tenant|templateId", new JsonCodec<>(TemplateDefined.class, TemplateDefined.SCHEMA_VERSION));

	/**
	 * Changes to tenants' own templates from the template API, keyed by the tenant;
	 * folded by the main routing application into its template stores, which publish each
	 * outcome to {@link #TEMPLATES}.
	 */
	public static final Topic<TemplateCommand> TEMPLATE_COMMANDS = new Topic<>("herald.template-commands", "tenant",
			new JsonCodec<>(TemplateCommand.class, TemplateCommand.SCHEMA_VERSION));

	/**
	 * Tenants' digest settings (docs/adr/036), compacted, one record per tenant and
	 * category pattern (a tombstone for one removed): written by routing's digest API,
	 * followed from the beginning by every routing instance, which digests by them.
	 */
	public static final Topic<DigestSetting> DIGEST_SETTINGS = new Topic<>("herald.digest-settings", "tenant|pattern",
			new JsonCodec<>(DigestSetting.class, DigestSetting.SCHEMA_VERSION));

	/**
	 * Calls of tenants' webhook endpoints, one per delivery state change an endpoint
	 * subscribed to, written by ingestion's webhook dispatcher from {@link #STATUS} and
	 * read by its sender; failed tries wait in {@code herald.webhooks.retry-<n>}
	 * ({@link #retry(String, int)}), and calls given up go to {@code herald.webhooks.dlt}
	 * with the reason.
	 */
	public static final Topic<CallWebhook> WEBHOOKS = new Topic<>("herald.webhooks", "tenant|endpointId",
			new JsonCodec<>(CallWebhook.class, CallWebhook.SCHEMA_VERSION));

	/** Every event log: {@link #EVENTS} and {@link #CRITICAL_EVENTS}. */
	public static final List<Topic<EventAccepted>> EVENT_LOGS = List.of(EVENTS, CRITICAL_EVENTS);

	/**
	 * The suffix of a topic's dead-letter topic: {@code herald.status} dead-letters to
	 * {@code herald.status.dlt}.
	 */
	public static final String DEAD_LETTER_SUFFIX = ".dlt";

	private static final Map<Channel, Map<Lane, Topic<DeliverNotification>>> DELIVERY_LANES = deliveryLanes();

	private Topics() {
	}

	/**
	 * The names of the topics that listeners name in annotations
	 * ({@code @KafkaListener(topics =
	 * ...)}), which take constants only. The {@link Topic}s above are made from them, and
	 * {@code TopicsTests} checks the in-app lanes' names against
	 * {@link #deliver(Channel, Lane)}.
	 */
	public static final class Names {

		public static final String EVENTS = "herald.events";

		public static final String CRITICAL_EVENTS = "herald.events.critical";

		public static final String STATUS = "herald.status";

		public static final String USER_COMMANDS = "herald.user-commands";

		public static final String INAPP_CRITICAL = "herald.deliver.inapp.critical";

		public static final String INAPP_PRIORITY = "herald.deliver.inapp.priority";

		public static final String INAPP_BULK = "herald.deliver.inapp.bulk";

		private Names() {
		}

	}

	/** The event log an accepted event of a priority is written to. */
	public static Topic<EventAccepted> eventLog(Priority priority) {
		return (priority == Priority.CRITICAL) ? CRITICAL_EVENTS : EVENTS;
	}

	/**
	 * A delivery lane: {@code herald.deliver.<channel>.<lane>}, for example
	 * {@code herald.deliver.push.priority}; keyed {@code tenant|userId}.
	 */
	public static Topic<DeliverNotification> deliver(Channel channel, Lane lane) {
		return DELIVERY_LANES.get(channel).get(lane);
	}

	/** Every delivery lane of a channel, critical first. */
	public static List<Topic<DeliverNotification>> deliveryLanes(Channel channel) {
		return List.copyOf(DELIVERY_LANES.get(channel).values());
	}

	private static Map<Channel, Map<Lane, Topic<DeliverNotification>>> deliveryLanes() {
		// Only in-app lanes carry batches (docs/adr/018): a provider lane refuses one as
		// a newer schema.
		JsonCodec<DeliverNotification> single = new JsonCodec<>(DeliverNotification.class,
				DeliverNotification.SCHEMA_VERSION);
		JsonCodec<DeliverNotification> batches = new JsonCodec<>(DeliverNotification.class,
				DeliverNotification.BATCH_SCHEMA_VERSION);
		Map<Channel, Map<Lane, Topic<DeliverNotification>>> lanes = new EnumMap<>(Channel.class);
		for (Channel channel : Channel.values()) {
			JsonCodec<DeliverNotification> codec = (channel == Channel.INAPP) ? batches : single;
			Map<Lane, Topic<DeliverNotification>> byLane = new EnumMap<>(Lane.class);
			for (Lane lane : Lane.values()) {
				byLane.put(lane, new Topic<>("herald.deliver." + channel.wireName() + "." + lane.topicSuffix(),
						"tenant|userId", codec));
			}
			lanes.put(channel, byLane);
		}
		return lanes;
	}

	/**
	 * The suffix of a delivery lane's retry levels:
	 * {@code herald.deliver.email.bulk.retry-1}.
	 */
	public static final String RETRY_SUFFIX = ".retry-";

	/**
	 * A retry level of a delivery lane, {@code <lane>.retry-<level>}: requests that
	 * failed for now wait there until they are due, each level holding one delay so that
	 * a record never waits behind a later one.
	 * @param lane the delivery lane
	 * @param level 1 for the first retry
	 */
	public static String retry(Topic<DeliverNotification> lane, int level) {
		return retry(lane.name(), level);
	}

	/**
	 * A retry level of a topic, {@code <topic>.retry-<level>}.
	 * @param topic the topic whose records wait there
	 * @param level 1 for the first retry
	 */
	public static String retry(String topic, int level) {
		if (level < 1) {
			throw new IllegalArgumentException("retry level must be at least 1, but was " + level);
		}
		return topic + RETRY_SUFFIX + level;
	}

	/** The dead-letter topic of a topic. */
	public static String deadLetter(String topic) {
		return topic + DEAD_LETTER_SUFFIX;
	}

}
