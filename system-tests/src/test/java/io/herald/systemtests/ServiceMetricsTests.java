package io.herald.systemtests;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceMetricsTests {

	private static final String SCRAPE = """
			# HELP herald_delivery_ledger_total
			# TYPE herald_delivery_ledger_total counter
			herald_delivery_ledger_total{answer="ambiguous",channel="sms"} 3.0
			herald_delivery_ledger_total{answer="ambiguous",channel="email",} 2.0
			herald_delivery_ledger_total{answer="claimed",channel="sms"} 40.0
			herald_delivery_ledger_total_other{answer="ambiguous",channel="sms"} 100.0
			herald_delivery_requests_total{channel="sms",outcome="sent"} 41.0 1700000000000
			""";

	@Test
	void sumsTheSamplesThatCarryEveryLabel() {
		assertThat(ServiceMetrics.sum(SCRAPE, "herald_delivery_ledger_total",
				Map.of("channel", "sms", "answer", "ambiguous")))
			.isEqualTo(3.0);
		assertThat(ServiceMetrics.sum(SCRAPE, "herald_delivery_ledger_total", Map.of("answer", "ambiguous")))
			.isEqualTo(5.0);
		assertThat(ServiceMetrics.sum(SCRAPE, "herald_delivery_ledger_total", Map.of())).isEqualTo(45.0);
	}

	@Test
	void aLabelMatchesOnlyWholeNamesAndValues() {
		assertThat(ServiceMetrics.sum(SCRAPE, "herald_delivery_ledger_total", Map.of("channel", "sm"))).isZero();
		assertThat(ServiceMetrics.sum(SCRAPE, "herald_delivery_ledger_total", Map.of("hannel", "sms"))).isZero();
	}

	@Test
	void readsASampleWithATimestamp() {
		assertThat(ServiceMetrics.sum(SCRAPE, "herald_delivery_requests_total", Map.of("outcome", "sent")))
			.isEqualTo(41.0);
	}

}
