package io.herald.routing.topology;

import io.herald.events.EventAccepted;
import io.herald.events.EventCancelled;
import io.herald.events.JsonCodec;
import io.herald.events.PartitionKeys;
import io.herald.events.RecordDecodingException;
import io.herald.events.Recipients;
import io.herald.events.Topics;
import io.herald.events.Versioned;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An explicitly addressed event on its way through
 * {@link RoutingTopology#EVENTS_BY_USER}: the event once, with only the recipients that
 * live on the partition it is written to. It is keyed by the {@code tenant|userId} key of
 * its first recipient, so Kafka's key partitioning puts it on the partition of every one
 * of them ({@link #byPartition(EventAccepted, int)} grouped them so). An event for
 * {@code n} users thus costs at most one copy of its body per partition plus each user id
 * once, instead of {@code n} copies of the whole event with all {@code n} ids.
 *
 * <p>
 * Version 1 of the topic's value was the bare {@link EventAccepted}, one copy per
 * recipient, keyed by that recipient, with the whole recipient list. Such a record still
 * decodes, as an {@code AddressedEvent} of {@link #BARE_EVENT}, and addresses the key's
 * user only, so records an earlier version left in the topic are routed as that version
 * would have.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION} when written; {@link #BARE_EVENT} for a
 * record written as a bare event
 * @param event the event; from version 2 on its recipients are this partition's users
 */
record AddressedEvent(int schemaVersion, EventAccepted event) implements Versioned {

	/** The version written by this code. */
	static final int SCHEMA_VERSION = 2;

	/**
	 * The version of a bare event read from the topic, addressed to the user of its key
	 * only.
	 */
	static final int BARE_EVENT = 1;

	private static final JsonCodec<AddressedEvent> CODEC = new JsonCodec<>(AddressedEvent.class, SCHEMA_VERSION);

	/** The serde of the topic: writes this version, reads this one and bare events. */
	static final Serde<AddressedEvent> SERDE = Serdes.serdeFrom(CODEC.serializer(), (topic, bytes) -> decode(bytes));

	AddressedEvent {
		Objects.requireNonNull(event, "event");
		if (!(event.recipients() instanceof Recipients.Users)) {
			throw new IllegalArgumentException("event " + event.eventId() + " is not addressed to named users");
		}
	}

	/**
	 * The event split by the partitions of its recipients among {@code partitions}, each
	 * part keyed by its first recipient's {@code tenant|userId} key; users keep their
	 * request order within a part. An event for one user is one record keyed by that
	 * user.
	 */
	static List<KeyValue<String, AddressedEvent>> byPartition(EventAccepted event, int partitions) {
		List<String> users = ((Recipients.Users) event.recipients()).users();
		String tenant = event.tenant();
		if (users.size() == 1) {
			return List
				.of(KeyValue.pair(PartitionKeys.user(tenant, users.get(0)), new AddressedEvent(SCHEMA_VERSION, event)));
		}
		Collection<List<String>> byPartition = usersByPartition(tenant, users, partitions);
		List<KeyValue<String, AddressedEvent>> parts = new ArrayList<>(byPartition.size());
		for (List<String> part : byPartition) {
			EventAccepted forPart = (part.size() == users.size()) ? event
					: event.withRecipients(new Recipients.Users(part));
			parts.add(KeyValue.pair(PartitionKeys.user(tenant, part.get(0)),
					new AddressedEvent(SCHEMA_VERSION, forPart)));
		}
		return parts;
	}

	/**
	 * A cancellation of an event naming its users, as
	 * {@link #byPartition(EventAccepted, int)} splits the event: one copy per partition
	 * of those users, with only that partition's users, keyed {@code tenant|userId} of
	 * the first of them, so that it reaches the partitions the event reached, and there
	 * retracts from exactly that partition's users (docs/adr/029).
	 */
	static List<KeyValue<String, EventCancelled>> byPartition(EventCancelled cancellation, int partitions) {
		List<String> users = ((Recipients.Users) cancellation.recipients()).users();
		String tenant = cancellation.tenant();
		Collection<List<String>> byPartition = usersByPartition(tenant, users, partitions);
		List<KeyValue<String, EventCancelled>> parts = new ArrayList<>(byPartition.size());
		for (List<String> part : byPartition) {
			EventCancelled forPart = (part.size() == users.size()) ? cancellation
					: cancellation.withRecipients(new Recipients.Users(part));
			parts.add(KeyValue.pair(PartitionKeys.user(tenant, part.get(0)), forPart));
		}
		return parts;
	}

	/**
	 * Users grouped by the partition of their key, in order of first appearance, each
	 * group in request order.
	 */
	private static Collection<List<String>> usersByPartition(String tenant, List<String> users, int partitions) {
		Map<Integer, List<String>> byPartition = new LinkedHashMap<>();
		for (String userId : users) {
			byPartition
				.computeIfAbsent(UserPartitions.of(PartitionKeys.user(tenant, userId), partitions),
						(partition) -> new ArrayList<>())
				.add(userId);
		}
		return byPartition.values();
	}

	/**
	 * One record per recipient, keyed {@code tenant|userId}, each with an event addressed
	 * to that user alone, so nothing downstream (held deliveries, dead letters) carries
	 * the others.
	 * @param key the key this record was read with
	 * @throws IllegalArgumentException when the key belongs to another tenant than the
	 * event
	 */
	List<KeyValue<String, EventAccepted>> perUser(String key) {
		if (!this.event.tenant().equals(PartitionKeys.tenantOf(key))) {
			throw new IllegalArgumentException(
					"record keyed '" + key + "' carries an event of tenant '" + this.event.tenant() + "'");
		}
		List<String> users = (this.schemaVersion == BARE_EVENT) ? List.of(PartitionKeys.idOf(key))
				: ((Recipients.Users) this.event.recipients()).users();
		List<KeyValue<String, EventAccepted>> records = new ArrayList<>(users.size());
		for (String userId : users) {
			records.add(KeyValue.pair(PartitionKeys.user(this.event.tenant(), userId),
					this.event.withRecipients(new Recipients.Users(List.of(userId)))));
		}
		return records;
	}

	/**
	 * Decodes this version, or else a bare event.
	 * @throws RecordDecodingException when the bytes are neither, with the reason of this
	 * version
	 */
	private static @Nullable AddressedEvent decode(byte @Nullable [] bytes) {
		try {
			return CODEC.decode(bytes);
		}
		catch (RecordDecodingException ex) {
			EventAccepted bare;
			try {
				bare = Topics.EVENTS.codec().decode(bytes);
			}
			catch (RecordDecodingException notBare) {
				ex.addSuppressed(notBare);
				throw ex;
			}
			return (bare != null) ? new AddressedEvent(BARE_EVENT, bare) : null;
		}
	}

}
