package io.herald.routing.topology;

import io.herald.events.EventAccepted;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.Recipients;
import io.herald.events.UserState;
import io.herald.routing.dedup.EventDeduplicator;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands a scattered topic or all-users event into the recipients that this partition
 * owns: a topic's subscribers come from a prefix scan of
 * {@link RoutingStores#TOPIC_SUBSCRIBERS}, all users of a tenant from a prefix scan of
 * {@link RoutingStores#USER_STATE}. Every partition receives a copy of the event, so
 * together the partitions reach every recipient exactly once, and no partition carries a
 * whole topic.
 *
 * <p>
 * The recipients go to the router {@value #BATCH} at a time ({@link Routable.Many}),
 * which writes in-app deliveries and statuses of many users as one record each
 * (docs/adr/018). The copy of an event published under an idempotency key is deduplicated
 * once, as a whole, in {@link RoutingStores#DEDUP} under the user
 * {@value #EVERY_RECIPIENT} (no user id has it): a copy read again after a crash (the
 * same origin) is expanded and routed again, an event written twice (another origin)
 * produces nothing. One entry per partition and event, instead of one per recipient.
 *
 * <p>
 * Recipients are those known when the copy is processed: a user who subscribes after that
 * does not receive the event.
 */
final class FanOutExpander implements Processor<String, EventAccepted, String, Routable> {

	/** The most recipients routed, and written to a lane, as one record. */
	static final int BATCH = 500;

	/** The user part of a fan-out copy's dedup entry. */
	static final String EVERY_RECIPIENT = "*";

	private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

	private final RoutingProperties properties;

	private final RoutingMetrics metrics;

	private @Nullable ProcessorContext<String, Routable> context;

	private @Nullable KeyValueStore<String, UserState> users;

	private @Nullable KeyValueStore<String, String> subscribers;

	private @Nullable EventDeduplicator dedup;

	FanOutExpander(RoutingProperties properties, RoutingMetrics metrics) {
		this.properties = properties;
		this.metrics = metrics;
	}

	@Override
	public void init(ProcessorContext<String, Routable> context) {
		this.context = context;
		this.users = context.getStateStore(RoutingStores.USER_STATE);
		this.subscribers = context.getStateStore(RoutingStores.TOPIC_SUBSCRIBERS);
		WindowStore<String, Long> dedupStore = context.getStateStore(RoutingStores.DEDUP);
		this.dedup = new EventDeduplicator(dedupStore, this.properties.dedupWindow());
	}

	@Override
	public void process(Record<String, EventAccepted> record) {
		EventAccepted event = record.value();
		if (event == null || this.context == null || this.users == null || this.subscribers == null
				|| this.dedup == null) {
			return;
		}
		long origin = EventDeduplicator.origin(HeaderNames.lastValue(record.headers(), HeaderNames.ORIGIN));
		EventDeduplicator.Sighting sighting = this.dedup.sight(event, EVERY_RECIPIENT, record.timestamp(), origin);
		if (sighting == EventDeduplicator.Sighting.DUPLICATE) {
			this.metrics.duplicate(event);
			return;
		}
		if (sighting == EventDeduplicator.Sighting.REPLAY) {
			this.metrics.replayed();
		}
		Batches batches = new Batches(record, event);
		String tenant = event.tenant();
		switch (event.recipients()) {
			case Recipients.Topic topic -> {
				try (KeyValueIterator<String, String> subscribed = this.subscribers
					.prefixScan(UserStateFolder.topicPrefix(tenant, topic.topic()), PREFIX_SERIALIZER)) {
					while (subscribed.hasNext()) {
						batches.add(subscribed.next().value);
					}
				}
			}
			case Recipients.AllUsers all -> {
				try (KeyValueIterator<String, UserState> known = this.users.prefixScan(tenant + '|',
						PREFIX_SERIALIZER)) {
					while (known.hasNext()) {
						KeyValue<String, UserState> user = known.next();
						batches.add(PartitionKeys.idOf(user.key));
					}
				}
			}
			case Recipients.Users users -> throw new IllegalStateException(
					"event " + event.eventId() + " names its users and must not be scattered");
		}
		batches.flush();
	}

	/** Forwards the recipients {@value #BATCH} at a time, keyed by the first of each. */
	private final class Batches {

		private final Record<String, EventAccepted> record;

		private final EventAccepted event;

		private final List<String> users = new ArrayList<>();

		Batches(Record<String, EventAccepted> record, EventAccepted event) {
			this.record = record;
			this.event = event;
		}

		void add(String userId) {
			this.users.add(userId);
			if (this.users.size() == BATCH) {
				flush();
			}
		}

		void flush() {
			if (this.users.isEmpty() || FanOutExpander.this.context == null) {
				return;
			}
			FanOutExpander.this.context
				.forward(this.record.withKey(PartitionKeys.user(this.event.tenant(), this.users.get(0)))
					.withValue(new Routable.Many(this.event, this.users)));
			this.users.clear();
		}

	}

}
