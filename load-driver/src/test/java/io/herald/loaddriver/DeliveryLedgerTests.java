package io.herald.loaddriver;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryLedgerTests {

	private final DeliveryLedger ledger = new DeliveryLedger();

	@Test
	void firstFrameOfANotificationIsDeliveredWithItsLatency() {
		this.ledger.hello("u", 0);
		this.ledger.expect("u", 7, 1_000_000, true);
		assertThat(this.ledger.received("u", 1, 7, 3_500_000)).isEqualTo(DeliveryLedger.Outcome.DELIVERED);
		assertThat(this.ledger.delivered()).isEqualTo(1);
		Histogram latency = this.ledger.takeLatency();
		assertThat(latency.getTotalCount()).isOne();
		// microseconds, to the histogram's three significant digits
		assertThat(latency.valuesAreEquivalent(latency.getMaxValue(), 2_500)).isTrue();
		assertThat(this.ledger.awaited()).isZero();
		assertThat(this.ledger.outOfOrder()).isZero();
	}

	@Test
	void sameNotificationTwiceIsADuplicateAndOutOfOrder() {
		this.ledger.hello("u", 10);
		this.ledger.expect("u", 7, 0, true);
		this.ledger.received("u", 11, 7, 1_000);
		assertThat(this.ledger.received("u", 11, 7, 2_000)).isEqualTo(DeliveryLedger.Outcome.DUPLICATE);
		assertThat(this.ledger.delivered()).isEqualTo(1);
		assertThat(this.ledger.duplicates()).isEqualTo(1);
		assertThat(this.ledger.outOfOrder()).isEqualTo(1);
	}

	@Test
	void sameKeyForAnotherUserIsAnotherNotification() {
		this.ledger.expect("a", 1, 0, true);
		this.ledger.expect("b", 1, 0, true);
		this.ledger.received("a", 1, 1, 1_000);
		assertThat(this.ledger.received("b", 1, 1, 1_000)).isEqualTo(DeliveryLedger.Outcome.DELIVERED);
		assertThat(this.ledger.duplicates()).isZero();
	}

	@Test
	void aGapCountsOnceAtTheFrameAfterIt() {
		this.ledger.hello("u", 0);
		for (long seq : new long[] { 1, 2, 4, 5 }) {
			this.ledger.received("u", seq, seq, 0);
		}
		assertThat(this.ledger.outOfOrder()).isEqualTo(1);
	}

	@Test
	void aFrameThatComesLateCountsOnceItself() {
		this.ledger.hello("u", 0);
		for (long seq : new long[] { 1, 3, 2, 4 }) {
			this.ledger.received("u", seq, seq, 0);
		}
		// 3 skips 2; 2 is below the highest seen; 4 follows the highest again
		assertThat(this.ledger.outOfOrder()).isEqualTo(2);
	}

	@Test
	void seqsStartAfterHellosLastSeq() {
		this.ledger.hello("u", 41);
		this.ledger.received("u", 42, 1, 0);
		this.ledger.hello("v", 41);
		this.ledger.received("v", 1, 1, 0);
		assertThat(this.ledger.outOfOrder()).isEqualTo(1);
	}

	@Test
	void eachUserHasItsOwnSeqs() {
		this.ledger.hello("a", 0);
		this.ledger.hello("b", 0);
		this.ledger.received("a", 1, 1, 0);
		this.ledger.received("b", 1, 2, 0);
		this.ledger.received("a", 2, 3, 0);
		assertThat(this.ledger.outOfOrder()).isZero();
	}

	@Test
	void acceptedNotificationsNotReceivedAreLostAndLateIfTheyComeAfterAll() {
		this.ledger.hello("u", 0);
		this.ledger.expect("u", 1, 0, true);
		this.ledger.expect("u", 2, 0, true);
		assertThat(this.ledger.awaited()).isEqualTo(2);
		assertThat(this.ledger.giveUp()).isEqualTo(2);
		assertThat(this.ledger.awaited()).isZero();
		assertThat(this.ledger.received("u", 1, 1, 0)).isEqualTo(DeliveryLedger.Outcome.LATE);
		assertThat(this.ledger.late()).isEqualTo(1);
		assertThat(this.ledger.delivered()).isZero();
	}

	@Test
	void notificationsNotAcceptedOrFromTheWarmUpAreNotLost() {
		this.ledger.expect("u", 1, 0, true);
		this.ledger.notAccepted("u", 1);
		this.ledger.expect("u", 2, 0, false);
		assertThat(this.ledger.awaited()).isZero();
		assertThat(this.ledger.giveUp()).isZero();
	}

	@Test
	void warmUpNotificationsAreMatchedButNotCounted() {
		this.ledger.expect("u", 1, 0, false);
		assertThat(this.ledger.received("u", 1, 1, 5_000)).isEqualTo(DeliveryLedger.Outcome.DELIVERED);
		assertThat(this.ledger.delivered()).isZero();
		assertThat(this.ledger.takeLatency().getTotalCount()).isZero();
	}

	@Test
	void aNotificationNeverSentIsUnexpected() {
		assertThat(this.ledger.received("u", 1, 99, 0)).isEqualTo(DeliveryLedger.Outcome.UNEXPECTED);
		assertThat(this.ledger.unexpected()).isEqualTo(1);
	}

	@Test
	void latencyOfEachKindIsAlsoKeptApart() {
		this.ledger.hello("u", 0);
		this.ledger.expect("u", 1, 0, true, "critical");
		this.ledger.expect("u", 2, 0, true, "bulk");
		this.ledger.expect("u", 3, 0, true, "bulk");
		this.ledger.received("u", 1, 2, 5_000_000);
		this.ledger.received("u", 2, 1, 1_000_000);
		this.ledger.received("u", 3, 3, 9_000_000);
		assertThat(this.ledger.takeLatency().getTotalCount()).isEqualTo(3);
		Histogram critical = this.ledger.takeLatency("critical");
		assertThat(critical.getTotalCount()).isOne();
		assertThat(critical.valuesAreEquivalent(critical.getMaxValue(), 1_000)).isTrue();
		assertThat(this.ledger.takeLatency("bulk").getTotalCount()).isEqualTo(2);
		assertThat(this.ledger.outOfOrder()).isZero();
	}

}
