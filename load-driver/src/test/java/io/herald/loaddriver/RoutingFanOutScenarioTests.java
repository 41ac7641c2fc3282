package io.herald.loaddriver;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FanOutScenarioTests {

	@Test
	void countsInAppDeliveriesQueuedOrAlreadyDelivered() {
		String status = """
				{"eventId":"e","status":"accepted","summary":{"email":{"queued":5},
				 "inapp":{"delivered":9000,"queued":1000,"suppressed":3}}}""";
		assertThat(RoutingFanOutScenario.routed(status)).isEqualTo(10_000);
	}

	@Test
	void countsInAppDeliveriesAppendedToTheirInboxes() {
		String status = """
				{"eventId":"e","status":"accepted","summary":{"email":{"delivered":5},
				 "inapp":{"acknowledged":12,"delivered":8988,"queued":1000}}}""";
		assertThat(RoutingFanOutScenario.appended(status)).isEqualTo(9_000);
	}

	@Test
	void countsNothingBeforeTheSummaryExists() {
		assertThat(RoutingFanOutScenario.routed("{\"eventId\":\"e\",\"status\":\"accepted\",\"deliveries\":[]}"))
			.isZero();
	}

}
