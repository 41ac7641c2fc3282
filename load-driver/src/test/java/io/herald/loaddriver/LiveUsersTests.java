package io.herald.loaddriver;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveUsersTests {

	@Test
	void sourceAddressesCountUpThroughTheLoopbackNetwork() {
		assertThat(LiveUsers.sourceAddress(0).getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(LiveUsers.sourceAddress(1).getHostAddress()).isEqualTo("127.0.0.2");
		assertThat(LiveUsers.sourceAddress(300).getHostAddress()).isEqualTo("127.0.1.45");
		assertThat(LiveUsers.sourceAddress(300).isLoopbackAddress()).isTrue();
	}

}
