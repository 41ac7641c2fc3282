package io.herald.routing.topology;

import io.herald.events.DeliverNotification;
import io.herald.events.EventAccepted;
import io.herald.events.EventCancelled;
import io.herald.events.EventLogRecord;
import io.herald.events.JsonCodec;
import io.herald.events.Recipients;
import io.herald.events.RetractNotification;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.events.UserState;
import io.herald.routing.dedup.EventDeduplicator;
import io.herald.routing.digest.DigestLookup;
import io.herald.routing.ratelimit.RateLimitProperties;
import io.herald.routing.template.TemplateRenderer;
import io.herald.support.tracing.RecordTracing;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.Map;

/**
 * The routing topology: turns accepted events of one event log into per-user, per-channel
 * delivery requests.
 *
 * <pre>
 * herald.user-commands ──► fold-user-state ─► [user-state] [topic-subscribers]
 *
 * &lt;event log&gt; ─► cancellations ─┬─ users ─► one copy per partition of the users ─► cancellations-by-user
 *                                 └─ topic/all/unknown ─► cancellations-scatter (every partition) ─► route (below):
 *                  drop the event's held deliveries ({@code cancelled}), remember it [cancelled-events],
 *                  retract its in-app notification from the partition's recipients ─► in-app lane
 *
 * &lt;event log&gt; ───► recipients ─┬─ local: one user, keyed tenant|userId, read on that user's
 *                              │   partition: routed where it was read ───────────────────┐
 *                              ├─ users ─► one copy per partition of the users, with only   │
 *                              │   that partition's users, key tenant|firstUserId          │
 *                              │   ─► events-by-user (repartition, N partitions)           │
 *                              │   ─► expand-users: one record per user ──────────────────┤
 *                              └─ topic/all ─► events-scatter (repartition, N partitions,   │
 *                                   every partition gets a copy) ─► expand-fan-out: the     │
 *                                   partition's recipients, 500 at a time ──────────────────┤
 *                                   [user-state] [topic-subscribers] [dedup]               ▼
 *                        route  [user-state] [dedup] [held-deliveries] [rate-limits] ◄─────┘
 *                               [digests] [digests-due]: push, email, SMS of a digested
 *                               category collect per user and pattern (docs/adr/036)
 *                          ├─► herald.deliver.&lt;channel&gt;.&lt;lane&gt;   key tenant|userId (a fan-out's
 *                          │                                       in-app: one batch record per
 *                          │                                       partition and message)
 *                          ├─► herald.status                      key tenant|eventId (a fan-out's:
 *                          │                                       batches of users)
 *                          └─► &lt;event log&gt;.dlt                    held events that failed to release
 * </pre>
 *
 * <p>
 * The service runs it twice, as two Kafka Streams applications (docs/adr/014): one over
 * {@code herald.events} (application id {@code herald-routing}) and one over
 * {@code herald.events.critical} ({@code herald-routing-critical}), each with its own
 * threads, tasks, stores and internal topics (named {@code <application id>-<name>}), so
 * that no flood of other priorities is ever ahead of a critical event. Each folds
 * {@code herald.user-commands} into its own stores.
 *
 * <p>
 * Every event is first stamped with its origin, its partition and offset on its event log
 * ({@link OriginStamp}), which its per-user copies carry to the router: routing is at
 * least once (docs/adr/013), and the origin tells an event read again after a crash from
 * one written twice.
 *
 * <p>
 * Everything is one sub-topology: {@code herald.user-commands} and the two repartition
 * topics have the same number of partitions ({@code herald.kafka.partitions}) and the
 * same key partitioning ({@code tenant|userId} hashed by the default partitioner), so
 * task {@code n} holds user state, subscriptions and every event copy for the users of
 * partition {@code n}: every lookup is local. {@code herald.user-commands} must therefore
 * have exactly that many partitions. Ingestion keys an event for one user by that user
 * (the common, targeted case), so when the event log has that many partitions too, such
 * an event is read by the task of its user and routed there, without the round trip
 * through {@code events-by-user} (docs/adr/015). Whether it is checked per record (key,
 * partition read from, partition of the key), so an event log with another partition
 * count, or an event keyed by its id (as written before), takes the repartition path and
 * is routed all the same.
 *
 * <p>
 * A topic or all-users event reaches the router as batches of a partition's recipients
 * ({@link Routable.Many}), and its in-app deliveries and statuses leave as batch records,
 * many users each, instead of one record per user (docs/adr/018): the fan-out's cost per
 * recipient is the decision, not a Kafka record, a span and a dedup entry.
 *
 * <p>
 * Every internal topic and store is named explicitly, so the topology may run with
 * {@code ensure.explicit.internal.resource.naming=true} and a change of the code never
 * renames a changelog silently.
 */
public final class RoutingTopology {

	/**
	 * Name of the repartition topic of explicitly addressed events:
	 * {@code <app id>-events-by-user-repartition}. Its values are
	 * {@link AddressedEvent}s: one per event and partition, carrying the event once with
	 * the users of that partition.
	 */
	public static final String EVENTS_BY_USER = "events-by-user";

	/**
	 * Name of the scatter topic of topic and all-users events:
	 * {@code <app id>-events-scatter-repartition}.
	 */
	public static final String EVENTS_SCATTER = "events-scatter";

	/**
	 * Name of the repartition topic of cancellations of events naming their users:
	 * {@code <app id>-cancellations-by-user-repartition}, one copy per partition of those
	 * users, as {@link #EVENTS_BY_USER} (docs/adr/029).
	 */
	public static final String CANCELLATIONS_BY_USER = "cancellations-by-user";

	/**
	 * Name of the scatter topic of the other cancellations (topic and all-users events,
	 * and events whose recipients are unknown):
	 * {@code <app id>-cancellations-scatter-repartition}; every partition gets a copy
	 * (docs/adr/029).
	 */
	public static final String CANCELLATIONS_SCATTER = "cancellations-scatter";

	/** Writes a retraction's record, for the in-app lane the retraction names. */
	private static final Serde<Routed.Retraction> RETRACTION_SERDE = Serdes.serdeFrom((topic,
			retraction) -> (retraction != null) ? RetractNotification.CODEC.encode(retraction.retraction()) : null,
			(topic, bytes) -> {
				throw new UnsupportedOperationException("retractions are only written");
			});

	static final Serde<UserState> USER_STATE_SERDE = new JsonCodec<>(UserState.class, UserState.SCHEMA_VERSION).serde();

	private final Topic<EventAccepted> events;

	private final int partitions;

	private final RoutingProperties properties;

	private final RateLimitProperties rateLimits;

	private final TemplateRenderer templates;

	private final DigestLookup digests;

	private final RoutingMetrics metrics;

	private final RecordTracing tracing;

	/**
	 * What the state stores are kept in: RocksDB, whose files and changelogs the
	 * deployments keep; memory only in topology tests.
	 */
	private final DslStoreSuppliers stores;

	/** The topology of {@code herald.events}. */
	public RoutingTopology(int partitions, RoutingProperties properties, RateLimitProperties rateLimits,
			TemplateRenderer templates, RoutingMetrics metrics, RecordTracing tracing) {
		this(Topics.EVENTS, partitions, properties, rateLimits, templates, metrics, tracing);
	}

	/**
	 * @param events the event log routed: {@code herald.events} or
	 * {@code herald.events.critical}
	 * @param partitions partitions of the internal topics; must equal those of
	 * {@code herald.user-commands}
	 * @param properties the topology's settings
	 * @param rateLimits per-channel rate limits
	 * @param templates renders templated events
	 * @param metrics where decisions are counted
	 * @param tracing continues each event's trace with a span per routing
	 */
	public RoutingTopology(Topic<EventAccepted> events, int partitions, RoutingProperties properties,
			RateLimitProperties rateLimits, TemplateRenderer templates, RoutingMetrics metrics, RecordTracing tracing) {
		this(events, partitions, properties, rateLimits, templates, DigestLookup.NONE, metrics, tracing);
	}

	/**
	 * @param events the event log routed: {@code herald.events} or
	 * {@code herald.events.critical}
	 * @param partitions partitions of the internal topics; must equal those of
	 * {@code herald.user-commands}
	 * @param properties the topology's settings
	 * @param rateLimits per-channel rate limits
	 * @param templates renders templated events and digests
	 * @param digests the tenants' digest settings (docs/adr/036)
	 * @param metrics where decisions are counted
	 * @param tracing continues each event's trace with a span per routing
	 */
	public RoutingTopology(Topic<EventAccepted> events, int partitions, RoutingProperties properties,
			RateLimitProperties rateLimits, TemplateRenderer templates, DigestLookup digests, RoutingMetrics metrics,
			RecordTracing tracing) {
		this(events, partitions, properties, rateLimits, templates, digests, metrics, tracing,
				BuiltInDslStoreSuppliers.ROCKS_DB);
	}

	/**
	 * The same topology with its state stores in what {@code stores} supplies:
	 * {@link BuiltInDslStoreSuppliers#IN_MEMORY} in a {@code TopologyTestDriver}, which
	 * commits after every record and would flush RocksDB and write its checkpoint file
	 * each time.
	 */
	RoutingTopology(Topic<EventAccepted> events, int partitions, RoutingProperties properties,
			RateLimitProperties rateLimits, TemplateRenderer templates, DigestLookup digests, RoutingMetrics metrics,
			RecordTracing tracing, DslStoreSuppliers stores) {
		if (partitions < 1) {
			throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
		}
		this.events = events;
		this.partitions = partitions;
		this.properties = properties;
		this.rateLimits = rateLimits;
		this.templates = templates;
		this.digests = digests;
		this.metrics = metrics;
		this.tracing = tracing;
		this.stores = stores;
	}

	/** Adds the routing topology to a builder. */
	public void build(StreamsBuilder builder) {
		addStores(builder);
		Serde<String> keys = Serdes.String();
		Serde<EventAccepted> events = this.events.codec().serde();

		builder
			.stream(Topics.USER_COMMANDS.name(),
					Consumed.with(keys, Topics.USER_COMMANDS.codec().serde()).withName("user-commands"))
			.process(() -> new UserStateFolder(this.metrics), Named.as("fold-user-state"), RoutingStores.USER_STATE,
					RoutingStores.TOPIC_SUBSCRIBERS, RoutingStores.HELD, RoutingStores.HELD_BY_EVENT,
					RoutingStores.DIGESTS);

		Map<String, KStream<String, EventLogRecord>> byKind = builder
			.stream(this.events.name(),
					Consumed.with(keys, EventLogRecord.serde(this.events.codec())).withName("events"))
			.split(Named.as("log-"))
			.branch((key, record) -> record instanceof EventLogRecord.Cancelled, Branched.as("cancellations"))
			.defaultBranch(Branched.as("accepted"));

		Map<String, KStream<String, EventCancelled>> cancellationsByRecipients = byKind.get("log-cancellations")
			.mapValues((record) -> ((EventLogRecord.Cancelled) record).cancellation(), Named.as("cancellation"))
			.split(Named.as("cancellations-"))
			.branch((key, cancellation) -> cancellation.recipients() instanceof Recipients.Users, Branched.as("users"))
			.defaultBranch(Branched.as("scattered"));

		KStream<String, Routable> cancellations = cancellationsByRecipients.get("cancellations-users")
			.flatMap((key, cancellation) -> AddressedEvent.byPartition(cancellation, this.partitions),
					Named.as("address-cancellations"))
			.repartition(Repartitioned.with(keys, EventCancelled.CODEC.serde())
				.withName(CANCELLATIONS_BY_USER)
				.withNumberOfPartitions(this.partitions))
			.merge(cancellationsByRecipients.get("cancellations-scattered")
				.repartition(Repartitioned.with(keys, EventCancelled.CODEC.serde())
					.withName(CANCELLATIONS_SCATTER)
					.withNumberOfPartitions(this.partitions)
					.withStreamPartitioner(new AllPartitions<>())), Named.as("cancellations-merged"))
			.mapValues((cancellation) -> (Routable) new Routable.Cancel(cancellation), Named.as("cancel"));

		Map<String, KStream<String, LoggedEvent>> byRecipients = byKind.get("log-accepted")
			.mapValues((record) -> ((EventLogRecord.Accepted) record).event(), Named.as("accepted"))
			.processValues(() -> new OriginStamp(this.partitions, this.metrics), Named.as("stamp-origin"))
			.split(Named.as("recipients-"))
			.branch((key, logged) -> logged.local(), Branched.as("local"))
			.branch((key, logged) -> logged.event().recipients() instanceof Recipients.Users, Branched.as("users"))
			.defaultBranch(Branched.as("fan-out"));

		KStream<String, Routable> local = byRecipients.get("recipients-local")
			.mapValues((logged) -> (Routable) new Routable.One(logged.event()), Named.as("local-user"));

		KStream<String, Routable> perUser = byRecipients.get("recipients-users")
			.mapValues(LoggedEvent::event, Named.as("users"))
			.flatMap((key, event) -> AddressedEvent.byPartition(event, this.partitions), Named.as("address-users"))
			.repartition(Repartitioned.with(keys, AddressedEvent.SERDE)
				.withName(EVENTS_BY_USER)
				.withNumberOfPartitions(this.partitions))
			.flatMap((key, addressed) -> addressed.perUser(key), Named.as("expand-users"))
			.mapValues((event) -> (Routable) new Routable.One(event), Named.as("user"));

		KStream<String, Routable> expanded = byRecipients.get("recipients-fan-out")
			.mapValues(LoggedEvent::event, Named.as("fan-out"))
			.repartition(Repartitioned.with(keys, events)
				.withName(EVENTS_SCATTER)
				.withNumberOfPartitions(this.partitions)
				.withStreamPartitioner(new AllPartitions<>()))
			.process(() -> new FanOutExpander(this.properties, this.metrics), Named.as("expand-fan-out"),
					RoutingStores.USER_STATE, RoutingStores.TOPIC_SUBSCRIBERS, RoutingStores.DEDUP);

		Map<String, KStream<String, Routed>> outputs = local.merge(perUser, Named.as("addressed"))
			.merge(expanded, Named.as("expanded"))
			.merge(cancellations, Named.as("cancellations"))
			.process(
					() -> new Router(this.partitions, this.properties, this.rateLimits, this.templates, this.digests,
							this.metrics, this.tracing),
					Named.as("route"), RoutingStores.USER_STATE, RoutingStores.DEDUP, RoutingStores.HELD,
					RoutingStores.RATE_LIMITS, RoutingStores.HELD_BY_EVENT, RoutingStores.CANCELLED,
					RoutingStores.TOPIC_SUBSCRIBERS, RoutingStores.DIGESTS, RoutingStores.DIGESTS_DUE)
			.split(Named.as("routed-"))
			.branch((key, routed) -> routed instanceof Routed.Delivery, Branched.as("deliveries"))
			.branch((key, routed) -> routed instanceof Routed.Status, Branched.as("statuses"))
			.branch((key, routed) -> routed instanceof Routed.Retraction, Branched.as("retractions"))
			.defaultBranch(Branched.as("dead-letters"));

		outputs.get("routed-deliveries")
			.mapValues((routed) -> ((Routed.Delivery) routed).notification(), Named.as("delivery"))
			.to((key, notification, context) -> lane(notification),
					Produced.with(keys,
							Topics.deliver(io.herald.events.Channel.INAPP, io.herald.events.Lane.BULK).codec().serde())
						.withName("delivery-lanes"));
		outputs.get("routed-statuses")
			.mapValues((routed) -> ((Routed.Status) routed).status(), Named.as("status"))
			.to(Topics.STATUS.name(), Produced.with(keys, Topics.STATUS.codec().serde()).withName("statuses"));
		outputs.get("routed-retractions")
			.mapValues((routed) -> (Routed.Retraction) routed, Named.as("retraction"))
			.to((key, retraction, context) -> retraction.lane(),
					Produced.with(keys, RETRACTION_SERDE).withName("retraction-lanes"));
		outputs.get("routed-dead-letters")
			.mapValues((routed) -> ((Routed.DeadLetter) routed).event(), Named.as("dead-letter"))
			.to(Topics.deadLetter(this.events.name()), Produced.with(keys, events).withName("events-dead-letters"));
	}

	private void addStores(StreamsBuilder builder) {
		builder.addStateStore(
				Stores.keyValueStoreBuilder(keyValueStore(RoutingStores.USER_STATE), Serdes.String(), USER_STATE_SERDE)
					.withCachingDisabled());
		builder.addStateStore(Stores
			.keyValueStoreBuilder(keyValueStore(RoutingStores.TOPIC_SUBSCRIBERS), Serdes.String(), Serdes.String())
			.withCachingDisabled());
		builder.addStateStore(
				EventDeduplicator.storeBuilder(RoutingStores.DEDUP, this.properties.dedupWindow(), this.stores));
		builder.addStateStore(Stores
			.keyValueStoreBuilder(keyValueStore(RoutingStores.HELD), Serdes.String(), HeldDelivery.CODEC.serde())
			.withCachingDisabled());
		builder.addStateStore(Stores
			.keyValueStoreBuilder(keyValueStore(RoutingStores.HELD_BY_EVENT), Serdes.String(), Serdes.String())
			.withCachingDisabled());
		builder.addStateStore(Stores
			.keyValueStoreBuilder(keyValueStore(RoutingStores.CANCELLED), Serdes.String(), EventCancelled.CODEC.serde())
			.withCachingDisabled());
		builder.addStateStore(
				Stores
					.keyValueStoreBuilder(keyValueStore(RoutingStores.RATE_LIMITS), Serdes.String(),
							Serdes.ListSerde(ArrayList.class, Serdes.Long()))
					.withCachingDisabled());
		builder.addStateStore(Stores
			.keyValueStoreBuilder(keyValueStore(RoutingStores.DIGESTS), Serdes.String(), PendingDigest.CODEC.serde())
			.withCachingDisabled());
		builder.addStateStore(
				Stores.keyValueStoreBuilder(keyValueStore(RoutingStores.DIGESTS_DUE), Serdes.String(), Serdes.String())
					.withCachingDisabled());
	}

	private KeyValueBytesStoreSupplier keyValueStore(String name) {
		return this.stores.keyValueStore(new DslKeyValueParams(name, false));
	}

	private static String lane(DeliverNotification notification) {
		return Topics.deliver(notification.channel(), notification.priority().lane()).name();
	}

}
