package io.herald.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTests {

	@Test
	void theNamesListenersUseAreTheTopicsNames() {
		assertThat(Topics.Names.EVENTS).isEqualTo(Topics.EVENTS.name());
		assertThat(Topics.Names.CRITICAL_EVENTS).isEqualTo(Topics.CRITICAL_EVENTS.name());
		assertThat(Topics.Names.STATUS).isEqualTo(Topics.STATUS.name());
		assertThat(Topics.Names.USER_COMMANDS).isEqualTo(Topics.USER_COMMANDS.name());
		assertThat(Topics.Names.INAPP_CRITICAL).isEqualTo(Topics.deliver(Channel.INAPP, Lane.CRITICAL).name());
		assertThat(Topics.Names.INAPP_PRIORITY).isEqualTo(Topics.deliver(Channel.INAPP, Lane.PRIORITY).name());
		assertThat(Topics.Names.INAPP_BULK).isEqualTo(Topics.deliver(Channel.INAPP, Lane.BULK).name());
	}

	@Test
	void aDeliveryLaneIsNamedByItsChannelAndLane() {
		assertThat(Topics.deliver(Channel.PUSH, Lane.PRIORITY).name()).isEqualTo("herald.deliver.push.priority");
	}

}
