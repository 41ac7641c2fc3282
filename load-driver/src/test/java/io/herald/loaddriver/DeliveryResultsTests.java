package io.herald.loaddriver;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryResultsTests {

	private static final Instant AT = Instant.parse("2026-01-01T12:00:00Z");

	@Test
	void aChannelsDuplicatesAreWhatItsReceiversSawTwiceNotWhatCameTwiceOnTheWire() {
		Map<String, Map<Long, List<DeliveryScenario.Receipt>>> received = Map.of("sms",
				Map.of(1L, List.of(receipt("SM1"), receipt("SM2")), 2L, List.of(receipt("SM3"))), "email", Map.of(1L,
						List.of(receipt("<m1@herald>"), receipt("<m1@herald>")), 2L, List.of(receipt("<m2@herald>"))));
		DeliveryResults results = new DeliveryResults(Options.parse("delivery", "--run", "t1"), Set.of(1L, 2L), 0, AT,
				Map.of(1L, AT, 2L, AT), received);
		assertThat(results.duplicatedOn("sms")).isOne();
		assertThat(results.duplicatedOn("email")).isZero();
		assertThat(results.duplicatedOn("fcm")).isZero();
		assertThat(results.accounting().duplicated()).isOne();
		Report withCpu = new CpuMeter.CpuReport(results, CpuUsage.unavailable("not measured", results.work()));
		assertThat(withCpu.duplicatedOn("sms")).isOne();
		assertThat(withCpu.duplicatedOn("email")).isZero();
	}

	private static DeliveryScenario.Receipt receipt(String identity) {
		return new DeliveryScenario.Receipt(AT, identity);
	}

}
