package io.herald.routing.topology;

import io.herald.events.EventAccepted;
import io.herald.events.PartitionKeys;
import io.herald.events.Recipients;

/**
 * An event as read from its event log, and whether it can be routed where it was read: an
 * event for one user, keyed by that user ({@code tenant|userId}, as ingestion writes such
 * events) and read from the partition that holds the user's state, needs no trip through
 * a repartition topic.
 *
 * @param event the event
 * @param local whether the task that read it holds its one user's state
 */
record LoggedEvent(EventAccepted event, boolean local) {

	/**
	 * Whether a record read from {@code partition} of the event log, among a topology of
	 * {@code partitions} partitions, is in the task of its one user.
	 */
	static boolean isLocal(String key, EventAccepted event, int partition, int partitions) {
		return event.recipients() instanceof Recipients.Users users && users.users().size() == 1
				&& key.equals(PartitionKeys.user(event.tenant(), users.users().get(0)))
				&& UserPartitions.of(key, partitions) == partition;
	}

}
