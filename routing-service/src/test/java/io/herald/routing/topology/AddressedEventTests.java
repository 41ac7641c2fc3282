package io.herald.routing.topology;

import io.herald.events.EventAccepted;
import io.herald.events.PartitionKeys;
import io.herald.events.Recipients;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.herald.routing.topology.RoutingDriver.PARTITIONS;
import static io.herald.routing.topology.RoutingDriver.kafkaPartition;
import static io.herald.routing.topology.RoutingDriver.users;
import static io.herald.routing.topology.TestEvents.TENANT;
import static io.herald.routing.topology.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event that names its users, split into one copy per partition of the users' state.
 */
class AddressedEventTests {

	private static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");

	@Test
	void shouldGroupUsersByThePartitionKafkaPicksForTheirKeys() {
		EventAccepted event = event("e-1", NOON).users(users(500)).build();

		List<KeyValue<String, AddressedEvent>> parts = AddressedEvent.byPartition(event, PARTITIONS);

		assertThat(parts).hasSize(PARTITIONS);
		for (KeyValue<String, AddressedEvent> part : parts) {
			int partition = kafkaPartition(part.key);
			assertThat(((Recipients.Users) part.value.event().recipients()).users()).allSatisfy(
					(userId) -> assertThat(kafkaPartition(PartitionKeys.user(TENANT, userId))).isEqualTo(partition));
		}
		assertThat(parts).flatMap((part) -> ((Recipients.Users) part.value.event().recipients()).users())
			.containsExactlyInAnyOrder(users(500));
	}

}
