package io.herald.routing.topology;

import org.apache.kafka.streams.processor.StreamPartitioner;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Multicasts every record to every partition of its topic (KIP-837): the scatter step of
 * topic and all-users fan-out, so that each partition expands the event for the users it
 * owns.
 */
final class AllPartitions<K, V> implements StreamPartitioner<K, V> {

	@Override
	public Optional<Set<Integer>> partitions(String topic, K key, V value, int numPartitions) {
		return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
	}

}
