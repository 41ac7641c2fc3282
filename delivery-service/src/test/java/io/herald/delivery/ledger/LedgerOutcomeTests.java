package io.herald.delivery.ledger;

import io.herald.events.SuppressionReason;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outcome as the ledger stores it and reads it back: what a request read again
 * reports, and the suppression it asks for again with the time of the provider's answer.
 */
class LedgerOutcomeTests {

	@Test
	void aRefusalKeepsItsSuppressionAndTheTimeOfTheAnswer() {
		LedgerOutcome refused = new LedgerOutcome(false, "twilio", null, "invalid_number",
				SuppressionReason.INVALID_NUMBER, Instant.parse("2026-11-24T10:00:00.123456789Z"));

		String json = refused.toJson();

		assertThat(json).contains("\"suppression\":\"invalid_number\"")
			.contains("\"at\":\"2026-11-24T10:00:00.123456789Z\"")
			.doesNotContain("providerId");
		assertThat(LedgerOutcome.fromJson(json)).isEqualTo(refused);
	}

	@Test
	void aSendKeepsItsProviderId() {
		LedgerOutcome sent = new LedgerOutcome(true, "apns", "apns-id-1", null);

		assertThat(LedgerOutcome.fromJson(sent.toJson())).isEqualTo(sent);
	}

	@Test
	void anOutcomeOfAnEarlierReleaseHasNoSuppressionAndNoTime() {
		LedgerOutcome earlier = LedgerOutcome
			.fromJson("{\"sent\":false,\"provider\":\"smtp\",\"reason\":\"bad_address\"}");

		assertThat(earlier).isEqualTo(new LedgerOutcome(false, "smtp", null, "bad_address"));
		assertThat(earlier.suppression()).isNull();
		assertThat(earlier.at()).isNull();
	}

	@Test
	void noOutcomeOrAnUnreadableOneIsNone() {
		assertThat(LedgerOutcome.fromJson(null)).isNull();
		assertThat(LedgerOutcome.fromJson("not json")).isNull();
		assertThat(LedgerOutcome.fromJson("{\"sent\":false,\"suppression\":\"no-such-reason\"}")).isNull();
	}

}
