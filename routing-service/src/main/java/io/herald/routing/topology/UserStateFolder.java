package io.herald.routing.topology;

import io.herald.events.Suppression;
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
 * held for them ({@link RoutingStores#HELD}) and every digest of theirs
 * ({@link RoutingStores#DIGESTS}), so nothing about an erased user is sent later. Finding
 * the held deliveries scans that store, whose keys lead with the due time; erasures are
 * rare, and the store holds only what quiet hours and {@code sendAt} defer.
 *
 * <p>
 * A command that does not {@linkplain UserCommand#createsUser() create users} (one with a
 * {@link UserCommand#condition() condition}, an email opt-out, or one about an address or
 * a device) changes nothing for a user that is not known; a conditional one changes only
 * the user's verdicts when its condition does not hold.
 *
 * <p>
 * Suppressions ({@link UserState#suppressions()}) are counted as they change, by channel,
 * reason and outcome ({@link RoutingMetrics#suppression}).
 *
 * <p>
 * A command whose record key is not its own {@code tenant|userId} is refused (an
 * exception, so it is dead-lettered): it sits on a partition that does not own the user.
 */
final class UserStateFolder implements Processor<String, UserCommand, Void, Void> {

	private final RoutingMetrics metrics;

	private @Nullable KeyValueStore<String, UserState> users;

	private @Nullable KeyValueStore<String, String> subscribers;

	private @Nullable KeyValueStore<String, HeldDelivery> held;

	private @Nullable KeyValueStore<String, String> heldByEvent;

	private @Nullable KeyValueStore<String, PendingDigest> digests;

	UserStateFolder(RoutingMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public void init(ProcessorContext<Void, Void> context) {
		this.users = context.getStateStore(RoutingStores.USER_STATE);
		this.subscribers = context.getStateStore(RoutingStores.TOPIC_SUBSCRIBERS);
		this.held = context.getStateStore(RoutingStores.HELD);
		this.heldByEvent = context.getStateStore(RoutingStores.HELD_BY_EVENT);
		this.digests = context.getStateStore(RoutingStores.DIGESTS);
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
		if (current == null && !command.createsUser()) {
			// Nothing is created: a precondition never holds for a user that is not
			// known, and an answer about a user's address or device, or an unsubscribe
			// link, may come after the user's erasure.
			if (command instanceof UserCommand.SuppressAddress suppress) {
				this.metrics.suppression(suppress.suppression(), RoutingMetrics.SUPPRESSION_IGNORED);
			}
			return;
		}
		UserState before = (current != null) ? current
				: UserState.unknown(command.tenant(), command.userId(), command.at());
		UserState after = before.apply(command);
		countSuppressions(command, before, after);
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
			forgetDigests(command.tenant(), command.userId());
		}
	}

	private void countSuppressions(UserCommand command, UserState before, @Nullable UserState after) {
		List<Suppression> kept = (after != null) ? after.suppressions() : List.of();
		if (before.suppressions().isEmpty() && kept.isEmpty() && !(command instanceof UserCommand.SuppressAddress)) {
			return;
		}
		String gone = switch (command) {
			case UserCommand.LiftSuppression lift -> RoutingMetrics.SUPPRESSION_LIFTED;
			case UserCommand.EraseUser erase -> RoutingMetrics.SUPPRESSION_ERASED;
			case UserCommand.SuppressAddress suppress -> RoutingMetrics.SUPPRESSION_REPLACED;
			// Only a profile write drops another: the address it was for changed.
			default -> RoutingMetrics.SUPPRESSION_ADDRESS_CHANGED;
		};
		for (Suppression suppression : before.suppressions()) {
			if (!kept.contains(suppression)) {
				this.metrics.suppression(suppression, gone);
			}
		}
		for (Suppression suppression : kept) {
			if (!before.suppressions().contains(suppression)) {
				this.metrics.suppression(suppression, RoutingMetrics.SUPPRESSION_RECORDED);
			}
		}
		if (command instanceof UserCommand.SuppressAddress suppress && !kept.contains(suppress.suppression())) {
			this.metrics.suppression(suppress.suppression(), RoutingMetrics.SUPPRESSION_IGNORED);
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

	private void forgetDigests(String tenant, String userId) {
		KeyValueStore<String, PendingDigest> digests = this.digests;
		if (digests == null) {
			throw new IllegalStateException("not initialized");
		}
		int erased = Digests.forget(digests, tenant, userId);
		if (erased > 0) {
			this.metrics.digest("erased", erased);
		}
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
