package io.herald.routing.topology;

import io.herald.events.UserCommand;
import io.herald.events.UserState;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Folds {@code herald.user-commands} into {@link RoutingStores#USER_STATE}, and keeps the
 * {@link RoutingStores#TOPIC_SUBSCRIBERS} index in step with each user's topics. A
 * command for a user nobody registered starts from {@link UserState#unknown};
 * {@code erase-user} deletes the user, every subscription of theirs, and every delivery
 * held for them ({@link RoutingStores#HELD}), so nothing about an erased user is sent
 * later. Finding the held deliveries scans that store, whose keys lead with the due time;
 * erasures are rare, and the store holds only what quiet hours and {@code sendAt} defer.
 *
 * <p>
 * A command with a {@link UserCommand#condition() condition} changes nothing for a user
 * that is not known, and only the user's verdicts when its condition does not hold.
 *
 * <p>
 * A command whose record key is not its own {@code tenant|userId} is refused (an
 * exception, so it is dead-lettered): it sits on a partition that does not own the user.
 */
final class UserStateFolder implements Processor<String, UserCommand, Void, Void> {

	private @Nullable KeyValueStore<String, UserState> users;

	private @Nullable KeyValueStore<String, String> subscribers;

	private @Nullable KeyValueStore<String, HeldDelivery> held;

	private @Nullable KeyValueStore<String, String> heldByEvent;

	@Override
	public void init(ProcessorContext<Void, Void> context) {
		this.users = context.getStateStore(RoutingStores.USER_STATE);
		this.subscribers = context.getStateStore(RoutingStores.TOPIC_SUBSCRIBERS);
		this.held = context.getStateStore(RoutingStores.HELD);
		this.heldByEvent = context.getStateStore(RoutingStores.HELD_BY_EVENT);
	}

	@Override
	public void process(Record<String, UserCommand> record) {
		UserCommand command = record.value();
		if (command == null) {
			return;
		}
		String key = command.key();
		if (!key.equals(record.key())) {
			throw new IllegalArgumentException(
					"user command keyed '" + record.key() + "' is about '" + key + "': wrong partition");
		}
		KeyValueStore<String, UserState> users = this.users;
		KeyValueStore<String, String> subscribers = this.subscribers;
		if (users == null || subscribers == null) {
			throw new IllegalStateException("not initialized");
		}
		UserState current = users.get(key);
		if (current == null && command.condition() != null) {
			// A precondition never holds for a user that is not known: nothing is
			// created.
			return;
		}
		UserState before = (current != null) ? current
				: UserState.unknown(command.tenant(), command.userId(), command.at());
		UserState after = before.apply(command);
		Set<String> topicsBefore = before.topics();
		Set<String> topicsAfter = (after != null) ? after.topics() : Set.of();
		for (String topic : topicsBefore) {
			if (!topicsAfter.contains(topic)) {
				subscribers.delete(subscriberKey(command.tenant(), topic, command.userId()));
			}
		}
		for (String topic : topicsAfter) {
			if (!topicsBefore.contains(topic)) {
				subscribers.put(subscriberKey(command.tenant(), topic, command.userId()), command.userId());
			}
		}
		if (after != null) {
			users.put(key, after);
		}
		else {
			users.delete(key);
			forgetHeldDeliveries(command.tenant(), command.userId());
		}
	}

	private void forgetHeldDeliveries(String tenant, String userId) {
		KeyValueStore<String, HeldDelivery> held = this.held;
		KeyValueStore<String, String> heldByEvent = this.heldByEvent;
		if (held == null || heldByEvent == null) {
			throw new IllegalStateException("not initialized");
		}
		List<KeyValue<String, HeldDelivery>> erased = new ArrayList<>();
		try (KeyValueIterator<String, HeldDelivery> all = held.all()) {
			all.forEachRemaining((entry) -> {
				if (entry.value.userId().equals(userId) && entry.value.event().tenant().equals(tenant)) {
					erased.add(entry);
				}
			});
		}
		erased.forEach((entry) -> {
			held.delete(entry.key);
			heldByEvent.delete(entry.value.eventKey());
		});
	}

	/** The key of a subscription in {@link RoutingStores#TOPIC_SUBSCRIBERS}. */
	static String subscriberKey(String tenant, String topic, String userId) {
		return topicPrefix(tenant, topic) + userId;
	}

	/** The prefix of every subscription to a topic. */
	static String topicPrefix(String tenant, String topic) {
		return tenant + '|' + topic + '|';
	}

}
