package io.herald.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DeliveryStateTests {

	@Test
	void laterStagesOutrankEarlierOnes() {
		assertThat(DeliveryState.QUEUED.stage()).isGreaterThan(DeliveryState.DEFERRED.stage());
		assertThat(DeliveryState.SENT.stage()).isGreaterThan(DeliveryState.QUEUED.stage());
		assertThat(DeliveryState.ACKNOWLEDGED.stage()).isGreaterThan(DeliveryState.DELIVERED.stage());
		assertThat(DeliveryState.READ.stage()).isGreaterThan(DeliveryState.ACKNOWLEDGED.stage());
	}

	@Test
	void aReceiptOutranksTheSentItFollows() {
		assertThat(DeliveryState.DELIVERED.stage()).isGreaterThan(DeliveryState.SENT.stage());
		assertThat(DeliveryState.FAILED.stage()).isGreaterThan(DeliveryState.SENT.stage());
		assertThat(DeliveryState.ACKNOWLEDGED.stage()).isGreaterThan(DeliveryState.FAILED.stage());
	}

	@Test
	void ofTheFinalStatesTheOneOfMoreEvidenceWinsWhateverTheirOrderAndTimes() {
		Instant t = Instant.parse("2026-11-22T10:00:00Z");
		assertThat(DeliveryState.FAILED.replaces(t.plusSeconds(60), DeliveryState.DELIVERED, t)).isFalse();
		assertThat(DeliveryState.DELIVERED.replaces(t, DeliveryState.FAILED, t.plusSeconds(60))).isTrue();
		assertThat(DeliveryState.DEAD_LETTERED.replaces(t.plusSeconds(60), DeliveryState.DELIVERED, t)).isFalse();
		assertThat(DeliveryState.DEAD_LETTERED.replaces(t.plusSeconds(60), DeliveryState.FAILED, t)).isFalse();
		assertThat(DeliveryState.FAILED.replaces(t, DeliveryState.DEAD_LETTERED, t.plusSeconds(60)))
			.as("a replayed dead letter's rejection")
			.isTrue();
	}

	@Test
	void ofTheSameEvidenceTheLaterWinsAndATieKeepsTheEarlierRecord() {
		Instant t = Instant.parse("2026-11-22T10:00:00Z");
		assertThat(DeliveryState.DELIVERED.replaces(t.plusMillis(1), DeliveryState.DELIVERED, t)).isTrue();
		assertThat(DeliveryState.DELIVERED.replaces(t, DeliveryState.DELIVERED, t)).isFalse();
		assertThat(DeliveryState.EXPIRED.replaces(t.plusMillis(1), DeliveryState.SUPPRESSED, t)).isTrue();
		assertThat(DeliveryState.SUPPRESSED.replaces(t.plusMillis(1), DeliveryState.EXPIRED, t)).isTrue();
		assertThat(DeliveryState.SENT.replaces(t.plusSeconds(60), DeliveryState.FAILED, t)).isFalse();
		assertThat(DeliveryState.ACKNOWLEDGED.replaces(t, DeliveryState.DELIVERED, t.plusSeconds(60))).isTrue();
	}

	@Test
	void timesAreComparedToTheMillisecondAsTheStatusViewStoresThem() {
		Instant t = Instant.parse("2026-11-22T10:00:00.000100Z");
		Instant sameMillisecond = Instant.parse("2026-11-22T10:00:00.000900Z");
		assertThat(DeliveryState.DELIVERED.replaces(sameMillisecond, DeliveryState.DELIVERED, t))
			.as("a tie keeps the earlier record")
			.isFalse();
		assertThat(DeliveryState.EXPIRED.replaces(sameMillisecond, DeliveryState.SUPPRESSED, t)).isFalse();
		assertThat(DeliveryState.DELIVERED.replaces(t.plusMillis(1), DeliveryState.DELIVERED, sameMillisecond))
			.isTrue();
		assertThat(DeliveryState.DELIVERED.replaces(t, DeliveryState.FAILED, sameMillisecond))
			.as("more evidence, whatever the time")
			.isTrue();
	}

	@Test
	void cancelledIsTheLastStage() {
		for (DeliveryState state : DeliveryState.values()) {
			if (state != DeliveryState.CANCELLED) {
				assertThat(DeliveryState.CANCELLED.stage()).as(state.wireName()).isGreaterThan(state.stage());
			}
		}
		assertThat(DeliveryState.fromWireName("cancelled")).isEqualTo(DeliveryState.CANCELLED);
	}

	@Test
	void wireNamesAreTheOnesOfTheApi() {
		assertThat(DeliveryState.DEAD_LETTERED.wireName()).isEqualTo("dead-lettered");
		assertThat(DeliveryState.fromWireName("acknowledged")).isEqualTo(DeliveryState.ACKNOWLEDGED);
		assertThatIllegalArgumentException().isThrownBy(() -> DeliveryState.fromWireName("DEAD_LETTERED"));
	}

	@Test
	void priorityChoosesItsLane() {
		assertThat(Priority.CRITICAL.lane()).isEqualTo(Lane.CRITICAL);
		assertThat(Priority.HIGH.lane()).isEqualTo(Lane.PRIORITY);
		assertThat(Priority.NORMAL.lane()).isEqualTo(Lane.BULK);
		assertThat(Priority.LOW.lane()).isEqualTo(Lane.BULK);
	}

}
