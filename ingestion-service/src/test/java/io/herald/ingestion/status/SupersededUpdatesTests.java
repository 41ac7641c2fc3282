package io.herald.ingestion.status;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.StatusReported;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SupersededUpdatesTests {

	private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

	@Test
	void aLaterStageOfTheSameDeliverySupersedesTheEarlierOnes() {
		List<Object> updates = List.of(accepted("e1"), inApp("e1", "u1", DeliveryState.QUEUED, T),
				inApp("e1", "u1", DeliveryState.DELIVERED, T.plusMillis(5)),
				inApp("e1", "u1", DeliveryState.ACKNOWLEDGED, T.plusMillis(9)));

		assertThat(SupersededUpdates.in(updates)).isEqualTo(bits(1, 2));
	}

	@Test
	void aRecordOfAnEarlierStageReadLaterIsTheOneSuperseded() {
		List<Object> updates = List.of(inApp("e1", "u1", DeliveryState.DELIVERED, T.plusMillis(5)),
				inApp("e1", "u1", DeliveryState.QUEUED, T));

		assertThat(SupersededUpdates.in(updates)).isEqualTo(bits(1));
	}

	@Test
	void withinOneStageTheLaterTimeWinsAndATieKeepsTheFirst() {
		List<Object> later = List.of(inApp("e1", "u1", DeliveryState.SUPPRESSED, T),
				inApp("e1", "u1", DeliveryState.EXPIRED, T.plusMillis(1)));
		List<Object> tie = List.of(inApp("e1", "u1", DeliveryState.SUPPRESSED, T),
				inApp("e1", "u1", DeliveryState.EXPIRED, T));

		assertThat(SupersededUpdates.in(later)).isEqualTo(bits(0));
		assertThat(SupersededUpdates.in(tie)).isEqualTo(bits(1));
	}

	@Test
	void aProviderReceiptWinsOverTheSentItFollowsWhateverTheClocks() {
		StatusReported sent = sms("e1", "u1", DeliveryState.SENT, T.plusMillis(50));
		List<Object> delivered = List.of(sent, sms("e1", "u1", DeliveryState.DELIVERED, T));
		List<Object> failed = List.of(sent, sms("e1", "u1", DeliveryState.FAILED, T).withReason("bounced"));

		assertThat(SupersededUpdates.in(delivered)).isEqualTo(bits(0));
		assertThat(SupersededUpdates.in(failed)).isEqualTo(bits(0));
	}

	@Test
	void aSentReportedAgainAfterAReceiptNeverOverwritesIt() {
		List<Object> updates = List.of(sms("e1", "u1", DeliveryState.DELIVERED, T),
				sms("e1", "u1", DeliveryState.SENT, T.plusSeconds(60)));

		assertThat(SupersededUpdates.in(updates)).isEqualTo(bits(1));
	}

	@Test
	void aFinalStateOfMoreEvidenceWinsWhateverTheOrderAndTheClocks() {
		List<Object> failedAfterDelivered = List.of(sms("e1", "u1", DeliveryState.DELIVERED, T),
				sms("e1", "u1", DeliveryState.FAILED, T.plusSeconds(60)).withReason("bounced"));
		List<Object> deadLetterAfterFailed = List.of(sms("e1", "u1", DeliveryState.FAILED, T),
				sms("e1", "u1", DeliveryState.DEAD_LETTERED, T.plusSeconds(60)));
		List<Object> failedAfterDeadLetter = List.of(sms("e1", "u1", DeliveryState.DEAD_LETTERED, T.plusSeconds(60)),
				sms("e1", "u1", DeliveryState.FAILED, T));

		assertThat(SupersededUpdates.in(failedAfterDelivered)).isEqualTo(bits(1));
		assertThat(SupersededUpdates.in(deadLetterAfterFailed)).isEqualTo(bits(1));
		assertThat(SupersededUpdates.in(failedAfterDeadLetter)).isEqualTo(bits(0));
	}

	@Test
	void otherDeliveriesEventsTenantsAndDevicesAreKeptApart() {
		List<Object> updates = List.of(inApp("e1", "u1", DeliveryState.QUEUED, T),
				inApp("e1", "u2", DeliveryState.DELIVERED, T), inApp("e2", "u1", DeliveryState.DELIVERED, T),
				new StatusReported(StatusReported.SCHEMA_VERSION, "other", "e1", "u1", Channel.INAPP, null,
						DeliveryState.DELIVERED, null, null, null, 1L, T),
				StatusReported.of("acme", "e1", "u1", Channel.PUSH, DeliveryState.QUEUED, T),
				push("e1", "u1", "ios:aa", DeliveryState.SENT), push("e1", "u1", "android:bb", DeliveryState.SENT));

		assertThat(SupersededUpdates.in(updates)).isEqualTo(bits());
	}

	@Test
	void acceptancesAreNeverSuperseded() {
		assertThat(SupersededUpdates.in(List.of(accepted("e1"), accepted("e1")))).isEqualTo(bits());
	}

	private static AcceptedEvent accepted(String eventId) {
		return new AcceptedEvent(1, "acme", eventId, T, "order.shipped");
	}

	private static StatusReported inApp(String eventId, String userId, DeliveryState state, Instant at) {
		return StatusReported.of("acme", eventId, userId, Channel.INAPP, state, at);
	}

	private static StatusReported push(String eventId, String userId, String device, DeliveryState state) {
		return new StatusReported(StatusReported.SCHEMA_VERSION, "acme", eventId, userId, Channel.PUSH, device, state,
				null, null, "p-1", null, T);
	}

	private static BitSet bits(int... positions) {
		BitSet bits = new BitSet();
		for (int position : positions) {
			bits.set(position);
		}
		return bits;
	}

	private static StatusReported sms(String eventId, String userId, DeliveryState state, Instant at) {
		return StatusReported.of("acme", eventId, userId, Channel.SMS, state, at);
	}

}
