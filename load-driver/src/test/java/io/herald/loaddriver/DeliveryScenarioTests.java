package io.herald.loaddriver;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryScenarioTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void receiversCollapseRepeatsByTheirOwnIds() {
		assertThat(DeliveryScenario.identity("email", JSON.readTree("{\"messageId\":\"<m1@herald>\"}")))
			.isEqualTo("<m1@herald>");
		assertThat(DeliveryScenario.identity("apns", JSON.readTree("{\"apnsId\":\"a\",\"collapseId\":\"c\"}")))
			.isEqualTo("c");
		assertThat(DeliveryScenario.identity("fcm",
				JSON.readTree("{\"name\":\"projects/p/messages/1\",\"data\":{\"heraldNotificationId\":\"n1\"}}")))
			.isEqualTo("n1");
		assertThat(DeliveryScenario.identity("sms", JSON.readTree("{\"sid\":\"SM1\"}"))).isEqualTo("SM1");
	}

}
