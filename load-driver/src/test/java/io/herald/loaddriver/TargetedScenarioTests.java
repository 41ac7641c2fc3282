package io.herald.loaddriver;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TargetedScenarioTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void eventGoesInAppToOneUserWithItsKey() {
		JsonNode event = JSON.readTree(TargetedScenario.event("bench-r-3", 42, 7, "critical"));
		assertThat(event.path("recipients").path("users").get(0).asString()).isEqualTo("bench-r-3");
		assertThat(event.path("channels").get(0).asString()).isEqualTo("inapp");
		assertThat(event.path("priority").asString()).isEqualTo("critical");
		assertThat(event.path("data").path("k").asLong()).isEqualTo(7);
		assertThat(ServerFrame.parse("{\"type\":\"notification\",\"seq\":5,\"data\":" + event.path("data") + "}").key())
			.isEqualTo(7);
	}

	@Test
	void floodEventsAreHalfLowPriorityMarketingAndHalfHighPriorityToManyUsers() {
		JsonNode event = JSON
			.readTree(TargetedScenario.bulkEvent(List.of("a", "b", "c"), 1, TargetedScenario.BULK_KEYS));
		assertThat(event.path("recipients").path("users")).hasSize(3);
		assertThat(event.path("priority").asString()).isEqualTo("low");
		assertThat(event.path("type").asString()).startsWith("marketing.");
		assertThat(event.path("data").path("k").asLong()).isEqualTo(TargetedScenario.BULK_KEYS);
		JsonNode next = JSON.readTree(TargetedScenario.bulkEvent(List.of("a"), 1, TargetedScenario.BULK_KEYS + 1));
		assertThat(next.path("priority").asString()).isEqualTo("high");
	}

}
