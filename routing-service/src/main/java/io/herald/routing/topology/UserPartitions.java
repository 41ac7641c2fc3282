package io.herald.routing.topology;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * The partition a user-keyed record lands on: what Kafka's producer (and so Kafka
 * Streams, for a repartition topic without a partitioner of its own) picks for a record
 * with a key, murmur2 of the key's UTF-8 bytes made positive, modulo the partition count.
 * User commands are written with that partitioner, so the partition of a
 * {@code tenant|userId} key is the one whose task holds the user's state.
 */
final class UserPartitions {

	private UserPartitions() {
	}

	/** The partition of a key among {@code partitions} partitions. */
	static int of(String key, int partitions) {
		return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
	}

}
