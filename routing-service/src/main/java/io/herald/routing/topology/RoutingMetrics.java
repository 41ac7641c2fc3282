package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.EventAccepted;
import io.herald.events.Suppression;
import io.herald.support.metrics.Funnel;
import io.herald.support.metrics.Funnel.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.processor.TaskId;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one routing application, each tagged with its {@code application} id
 * ({@code herald-routing}, {@code herald-routing-critical}):
 * <ul>
 * <li>{@code herald.routing.deliveries}: decisions per user and channel, by
 * {@code channel}, {@code lane}, {@code outcome} ({@code queued}, {@code deferred},
 * {@code suppressed}, {@code expired}) and {@code reason} ({@code none} for queued).</li>
 * <li>{@code herald.routing.duplicates}: events that reached a user again within the
 * dedup window and were dropped; a fan-out's copy counts once per partition, not per
 * recipient.</li>
 * <li>{@code herald.routing.replays}: events routed again to a user because they were
 * read again after a crash or a rebalance (at-least-once routing); their outputs keep
 * their ids. A fan-out's copy counts once per partition.</li>
 * <li>{@code herald.routing.held}: deliveries held for quiet hours or {@code sendAt},
 * summed over this instance's tasks; RocksDB's estimate, refreshed at every release
 * interval. It includes the deliveries released in the last few commit intervals, kept
 * until their outputs are certainly out (docs/adr/013).</li>
 * <li>{@code herald.routing.released.again}: held deliveries and digests (by
 * {@code kind}) released again after a restore, because a crash may have lost their
 * outputs; they keep their ids.</li>
 * <li>{@code herald.routing.cancellations}: cancellations applied by a partition, by
 * {@code outcome}: {@code first} for the partition's first copy, {@code again} for one it
 * had already applied (a second {@code DELETE}, or a copy read again after a crash). The
 * deliveries they stop count in {@code herald.routing.deliveries} with outcome
 * {@code cancelled}.</li>
 * <li>{@code herald.routing.retractions}: users of a partition sent the retraction of a
 * cancelled event's in-app notification (whether their inbox holds it or not, the gateway
 * tells).</li>
 * <li>{@code herald.routing.suppressions}: changes of users' suppression lists, by
 * {@code channel}, {@code reason} (the suppression's: {@code bad_address},
 * {@code invalid_number}, ...) and {@code outcome}: {@code recorded}, {@code ignored}
 * (its address is not the profile's, or the user is not known), {@code replaced} (by a
 * newer one of the channel), {@code lifted} (through the API), {@code address_changed}
 * (the profile names another address), {@code erased} (with the user). Each application
 * folds the user commands, so each counts them under its own {@code application}. The
 * deliveries a suppression drops count in {@code herald.routing.deliveries} with outcome
 * {@code suppressed} and the suppression's reason.</li>
 * <li>{@code herald.routing.digests}: digest events (docs/adr/036), by {@code outcome}:
 * {@code collected} (a notification for a user joined a digest, once however many of its
 * channels), {@code flushed} (a digest went out), {@code held} (a due digest waits for
 * the end of quiet hours), {@code dropped} (its user was gone), {@code erased} (an open
 * digest went with its user).</li>
 * <li>{@code herald.routing.digest.items}: a distribution of the items each digest went
 * out with.</li>
 * </ul>
 * The same decisions feed the {@code routed} stage of the {@link Funnel}, with
 * {@code herald.funnel.latency{to="routed"}} for every notification queued. Kafka
 * Streams' own metrics are bound by Spring Boot ({@code KafkaStreamsMicrometerListener}).
 */
public class RoutingMetrics {

	/** A suppression was recorded. */
	static final String SUPPRESSION_RECORDED = "recorded";

	/** A suppression was not recorded: its address is not the profile's. */
	static final String SUPPRESSION_IGNORED = "ignored";

	/** A suppression gave way to a newer one of its channel. */
	static final String SUPPRESSION_REPLACED = "replaced";

	/** A suppression was lifted through the API. */
	static final String SUPPRESSION_LIFTED = "lifted";

	/** A suppression went because the profile names another address for its channel. */
	static final String SUPPRESSION_ADDRESS_CHANGED = "address_changed";

	/** A suppression went with its user. */
	static final String SUPPRESSION_ERASED = "erased";

	private final MeterRegistry registry;

	private final Counter duplicates;

	private final Counter replays;

	private final Counter readLocal;

	private final Counter readElsewhere;

	private final Funnel funnel;

	private final Map<TaskId, Long> heldPerTask = new ConcurrentHashMap<>();

	private final String application;

	/**
	 * @param registry where the meters are registered
	 * @param application the Kafka Streams application id, the {@code application} tag of
	 * every meter
	 */
	public RoutingMetrics(MeterRegistry registry, String application) {
		this.registry = registry;
		this.application = application;
		this.funnel = new Funnel(registry);
		this.duplicates = Counter.builder("herald.routing.duplicates")
			.description("Events dropped because they reached the user before, within the dedup window")
			.tag("application", application)
			.register(registry);
		this.replays = Counter.builder("herald.routing.replays")
			.description("Events routed again because they were read again after a crash or a rebalance")
			.tag("application", application)
			.register(registry);
		this.readLocal = eventsRead(registry, application, "local");
		this.readElsewhere = eventsRead(registry, application, "repartitioned");
		Gauge
			.builder("herald.routing.held", this.heldPerTask,
					(held) -> held.values().stream().mapToLong(Long::longValue).sum())
			.description("Deliveries held for quiet hours or sendAt (estimate)")
			.tag("application", application)
			.register(registry);
	}

	void decided(EventAccepted event, Channel channel, String outcome, String reason) {
		this.funnel.count(Stage.ROUTED, event.tenant(), channel.wireName(), event.priority().wireName(), outcome,
				reason);
		Counter.builder("herald.routing.deliveries")
			.description("Routing decisions per user and channel")
			.tag("application", this.application)
			.tag("channel", channel.wireName())
			.tag("lane", event.priority().lane().topicSuffix())
			.tag("outcome", outcome)
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	void duplicate(EventAccepted event) {
		this.duplicates.increment();
		this.funnel.count(Stage.ROUTED, event.tenant(), Funnel.ALL_CHANNELS, event.priority().wireName(), "duplicate",
				"dedup_window");
	}

	/** A cancellation applied by a partition: the first time, or again. */
	void cancellation(boolean first) {
		Counter.builder("herald.routing.cancellations")
			.description("Cancellations applied by a partition, the first time or again (docs/adr/029)")
			.tag("application", this.application)
			.tag("outcome", first ? "first" : "again")
			.register(this.registry)
			.increment();
	}

	/**
	 * Users a partition sent the retraction of a cancelled event's in-app notification
	 * to.
	 */
	void retracted(int users) {
		Counter.builder("herald.routing.retractions")
			.description("Users sent the retraction of a cancelled event's in-app notification (docs/adr/029)")
			.tag("application", this.application)
			.register(this.registry)
			.increment(users);
	}

	/** A change of a user's suppression list. */
	void suppression(Suppression suppression, String outcome) {
		Counter.builder("herald.routing.suppressions")
			.description("Changes of users' suppression lists, by channel, reason and outcome")
			.tag("application", this.application)
			.tag("channel", suppression.channel().wireName())
			.tag("reason", suppression.reason().wireName())
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

	/** A digest event: {@code collected}, {@code flushed}, {@code held}, ... */
	void digest(String outcome, int count) {
		Counter.builder("herald.routing.digests")
			.description("Digest events: notifications collected, digests flushed, held, dropped or erased")
			.tag("application", this.application)
			.tag("outcome", outcome)
			.register(this.registry)
			.increment(count);
	}

	/** A digest went out with this many items. */
	void digestItems(int items) {
		DistributionSummary.builder("herald.routing.digest.items")
			.description("Items per digest that went out")
			.tag("application", this.application)
			.register(this.registry)
			.record(items);
	}

	/**
	 * A held delivery or digest released again after a restore, its outputs possibly lost
	 * by a crash.
	 */
	void releasedAgain(String kind) {
		Counter.builder("herald.routing.released.again")
			.description("Held deliveries and digests released again after a restore: a crash may have lost them")
			.tag("application", this.application)
			.tag("kind", kind)
			.register(this.registry)
			.increment();
	}

	void replayed() {
		this.replays.increment();
	}

	/**
	 * An event read from the event log, routed where it was read or sent to its users'
	 * partitions.
	 */
	void read(boolean local) {
		(local ? this.readLocal : this.readElsewhere).increment();
	}

	private static Counter eventsRead(MeterRegistry registry, String application, String path) {
		return Counter.builder("herald.routing.events")
			.description("Events read from the event log, by whether they were routed where they were read (local)"
					+ " or took a repartition topic to their users (docs/adr/015)")
			.tag("application", application)
			.tag("path", path)
			.register(registry);
	}

	void routed(EventAccepted event, Channel channel, Instant origin) {
		this.funnel.latency("routed", channel.wireName(), event.priority().wireName(), origin);
	}

	void held(TaskId task, long count) {
		this.heldPerTask.put(task, count);
	}

	void closed(TaskId task) {
		this.heldPerTask.remove(task);
	}

}
