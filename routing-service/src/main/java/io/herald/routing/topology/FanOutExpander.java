package io.herald.routing.topology;

import io.herald.events.EventAccepted;
import io.herald.events.PartitionKeys;
import io.herald.events.Recipients;
import io.herald.events.UserState;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Expands a scattered topic or all-users event into one record per recipient that this partition
 * owns, re-keyed {@code tenant|userId}: a topic's subscribers come from a prefix scan of
 * {@link RoutingStores#TOPIC_SUBSCRIBERS}, all users of a tenant from a prefix scan of
 * {@link RoutingStores#USER_STATE}. Every partition receives a copy of the event, so together
 * the partitions reach every recipient exactly once, and no partition carries a whole topic.
 *
 * <p>Recipients are those known when the copy is processed: a user who subscribes after that
 * does not receive the event.
 */
final class FanOutExpander implements Processor<String, EventAccepted, String, EventAccepted> {

	private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

	private @Nullable ProcessorContext<String, EventAccepted> context;

	private @Nullable KeyValueStore<String, UserState> users;

	private @Nullable KeyValueStore<String, String> subscribers;

	@Override
	public void init(ProcessorContext<String, EventAccepted> context) {
		this.context = context;
		this.users = context.getStateStore(RoutingStores.USER_STATE);
		this.subscribers = context.getStateStore(RoutingStores.TOPIC_SUBSCRIBERS);
	}

	@Override
	public void process(Record<String, EventAccepted> record) {
		EventAccepted event = record.value();
		if (event == null || this.context == null || this.users == null || this.subscribers == null) {
			return;
		}
		String tenant = event.tenant();
		switch (event.recipients()) {
			case Recipients.Topic topic -> {
				try (KeyValueIterator<String, String> subscribed = this.subscribers
					.prefixScan(UserStateFolder.topicPrefix(tenant, topic.topic()), PREFIX_SERIALIZER)) {
					while (subscribed.hasNext()) {
						KeyValue<String, String> subscription = subscribed.next();
						this.context.forward(record.withKey(PartitionKeys.user(tenant, subscription.value)));
					}
				}
			}
			case Recipients.AllUsers all -> {
				try (KeyValueIterator<String, UserState> known = this.users.prefixScan(tenant + '|',
						PREFIX_SERIALIZER)) {
					while (known.hasNext()) {
						this.context.forward(record.withKey(known.next().key));
					}
				}
			}
			case Recipients.Users users -> throw new IllegalStateException(
					"event " + event.eventId() + " names its users and must not be scattered");
		}
	}

}
