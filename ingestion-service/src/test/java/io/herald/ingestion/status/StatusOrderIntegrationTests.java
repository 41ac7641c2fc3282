package io.herald.ingestion.status;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.StatusReported;
import io.herald.infra.SharedInfra;
import org.assertj.core.api.SoftAssertions;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order of a delivery's states as Java decides it ({@link DeliveryState#replaces},
 * which {@link SupersededUpdates} applies to a batch) and as the status view's script
 * decides it (status-deliveries.lua, on a real Redis) are one order: the same records, in
 * the same sequence, leave the same record in the view, whether each is applied in a call
 * of its own, all in one call, or only those a batch does not supersede. Records within
 * one millisecond are where they could part: the view stores milliseconds.
 */
class StatusOrderIntegrationTests {

	/** States the view records: a read mark is for webhooks only. */
	private static final List<DeliveryState> RECORDED = Arrays.stream(DeliveryState.values())
		.filter((state) -> state != DeliveryState.READ)
		.toList();

	private static final List<DeliveryState> FINAL = List.of(DeliveryState.DELIVERED, DeliveryState.FAILED,
			DeliveryState.DEAD_LETTERED);

	/** Times of records: two in one millisecond, two in the next. */
	private static final List<Instant> TIMES = List.of(Instant.parse("2026-11-24T10:00:00.000100Z"),
			Instant.parse("2026-11-24T10:00:00.000900Z"), Instant.parse("2026-11-24T10:00:00.001000Z"),
			Instant.parse("2026-11-24T10:00:00.001999Z"));

	private final LettuceConnectionFactory connections = connections();

	private final StringRedisTemplate redis = new StringRedisTemplate(this.connections);

	private final StatusStore store = new StatusStore(this.redis,
			new StatusProperties(Duration.ofMinutes(10), 1000, 0, Duration.ofMinutes(10)));

	private final String tenant = "t-" + UUID.randomUUID();

	private int events;

	@AfterEach
	void close() {
		this.connections.destroy();
	}

	@Test
	void everyPairOfFinalStatesIsOrderedAlikeAtEveryTime() {
		List<List<StatusReported>> sequences = new ArrayList<>();
		for (DeliveryState first : FINAL) {
			for (DeliveryState second : FINAL) {
				for (Instant firstAt : TIMES) {
					for (Instant secondAt : TIMES) {
						sequences.add(List.of(record(first, firstAt, 0), record(second, secondAt, 1)));
					}
				}
			}
		}

		assertOrderedAlike(sequences);
	}

	@Test
	void everyPairOfRecordedStatesIsOrderedAlikeWithinAMillisecondAndAcrossOne() {
		List<List<StatusReported>> sequences = new ArrayList<>();
		for (DeliveryState first : RECORDED) {
			for (DeliveryState second : RECORDED) {
				for (Instant secondAt : TIMES) {
					sequences.add(List.of(record(first, TIMES.get(1), 0), record(second, secondAt, 1)));
				}
			}
		}

		assertOrderedAlike(sequences);
	}

	@Test
	void longerSequencesOfFinalStatesAndSentAreOrderedAlike() {
		List<DeliveryState> states = List.of(DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.FAILED,
				DeliveryState.DEAD_LETTERED);
		Random random = new Random(34);
		List<List<StatusReported>> sequences = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			sequences.add(IntStream.range(0, 3 + random.nextInt(4))
				.mapToObj((n) -> record(states.get(random.nextInt(states.size())), TIMES.get(random.nextInt(4)), n))
				.toList());
		}

		assertOrderedAlike(sequences);
	}

	/**
	 * A push is queued for the user, then sent per device, and the devices' states
	 * replace the user's: in one call the script deletes the user's field that it read,
	 * and writes the devices', from what the call itself wrote, as separate calls do from
	 * Redis.
	 */
	@Test
	void aPushQueuedForTheUserGivesWayToItsDevicesInOneCallAsInACallEach() {
		Instant at = TIMES.get(0);
		List<StatusReported> sequence = List.of(
				StatusReported.of("t", "e", "u-1", Channel.PUSH, DeliveryState.QUEUED, at),
				device("ios:1", DeliveryState.SENT, at.plusMillis(1)),
				device("android:2", DeliveryState.SENT, at.plusMillis(2)),
				device("ios:1", DeliveryState.DELIVERED, at.plusMillis(3)));

		List<StatusReported> oneByOne = onNewEvent(sequence);
		oneByOne.forEach((status) -> this.store.apply(List.of(status)));
		List<StatusReported> together = onNewEvent(sequence);
		this.store.apply(new ArrayList<>(together));

		for (List<StatusReported> applied : List.of(oneByOne, together)) {
			List<String> keys = StatusStore.keys(this.tenant, applied.getFirst().eventId());
			assertThat(this.redis.<String, String>opsForHash().entries(keys.get(1)))
				.containsOnlyKeys(applied.get(1).deliveryKey(), applied.get(2).deliveryKey());
			assertThat(this.redis.<String, String>opsForHash().entries(keys.get(2)))
				.as("the summary's counts that are not 0")
				.matches((summary) -> summary.entrySet()
					.stream()
					.filter((entry) -> !entry.getValue().equals("0"))
					.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))
					.equals(Map.of("push:sent", "1", "push:delivered", "1")));
			assertThat(this.redis.opsForHash().get(keys.get(0), "deliveries")).isEqualTo("2");
		}
		assertThat(stored(together.subList(3, 4))).isEqualTo(stored(oneByOne.subList(3, 4)));
	}

	/**
	 * Applies each sequence to the view three ways, each to an event of its own, and
	 * checks that each leaves the record Java says wins.
	 */
	private void assertOrderedAlike(List<List<StatusReported>> sequences) {
		SoftAssertions softly = new SoftAssertions();
		for (List<StatusReported> sequence : sequences) {
			Delivery expected = Delivery.of(winner(sequence));

			List<StatusReported> oneByOne = onNewEvent(sequence);
			oneByOne.forEach((status) -> this.store.apply(List.of(status)));
			softly.assertThat(stored(oneByOne)).as("one call per record: %s", describe(sequence)).isEqualTo(expected);

			List<StatusReported> together = onNewEvent(sequence);
			this.store.apply(new ArrayList<>(together));
			softly.assertThat(stored(together)).as("one call: %s", describe(sequence)).isEqualTo(expected);

			List<StatusReported> batch = onNewEvent(sequence);
			BitSet superseded = SupersededUpdates.in(batch);
			this.store.apply(new ArrayList<>(
					IntStream.range(0, batch.size()).filter((i) -> !superseded.get(i)).mapToObj(batch::get).toList()));
			softly.assertThat(stored(batch)).as("the batch's latest only: %s", describe(sequence)).isEqualTo(expected);
		}
		softly.assertAll();
	}

	/** The record that stays, as {@link DeliveryState#replaces} decides. */
	private static StatusReported winner(List<StatusReported> sequence) {
		StatusReported winner = sequence.getFirst();
		for (StatusReported status : sequence.subList(1, sequence.size())) {
			if (status.state().replaces(status.at(), winner.state(), winner.at())) {
				winner = status;
			}
		}
		return winner;
	}

	/** The record the view keeps for the sequence's delivery. */
	private Delivery stored(List<StatusReported> sequence) {
		StatusReported first = sequence.getFirst();
		Object stored = this.redis.opsForHash()
			.get(StatusStore.keys(first.tenant(), first.eventId()).get(1), first.deliveryKey());
		return StatusStore.delivery(first.deliveryKey(), String.valueOf(stored));
	}

	/** The sequence's records for an event of their own. */
	private List<StatusReported> onNewEvent(List<StatusReported> sequence) {
		String eventId = "e-" + (++this.events);
		return sequence.stream()
			.map((status) -> new StatusReported(status.schemaVersion(), this.tenant, eventId, status.userId(),
					status.channel(), status.device(), status.state(), status.reason(), status.until(),
					status.providerId(), status.seq(), status.at()))
			.toList();
	}

	/** A record of a push delivery to one of the user's devices. */
	private static StatusReported device(String device, DeliveryState state, Instant at) {
		return new StatusReported(StatusReported.SCHEMA_VERSION, "t", "e", "u-1", Channel.PUSH, device, state, null,
				null, null, null, at);
	}

	/** A record of one SMS delivery, told apart from the others by its reason. */
	private static StatusReported record(DeliveryState state, Instant at, int position) {
		return StatusReported.of("t", "e", "u-1", Channel.SMS, state, at).withReason("record-" + position);
	}

	private static String describe(List<StatusReported> sequence) {
		return sequence.stream().map((status) -> status.state().wireName() + "@" + status.at()).toList().toString();
	}

	private static LettuceConnectionFactory connections() {
		// Pooled as the service's are: the view's pipelines borrow a connection.
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(SharedInfra.redis().host(), SharedInfra.redis().port()),
				LettucePoolingClientConfiguration.builder().poolConfig(new GenericObjectPoolConfig<>()).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
