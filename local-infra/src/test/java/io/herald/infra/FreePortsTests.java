package io.herald.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FreePortsTests {

	@Test
	void returnsDistinctPortsThatCanBeBound() {
		assertThat(FreePorts.find(5)).hasSize(5).doesNotHaveDuplicates().allSatisfy((port) -> {
			assertThat(port).isBetween(1, 65535);
			assertThat(FreePorts.isFree(port)).isTrue();
		});
	}

	@Test
	void portsChosenOtherThanAPortJustReleasedNeverIncludeIt() {
		for (int i = 0; i < 50; i++) {
			int released = FreePorts.find();
			assertThat(FreePorts.findOtherThan(3, released)).hasSize(3)
				.doesNotHaveDuplicates()
				.doesNotContain(released);
			assertThat(FreePorts.findOtherThan(released)).isNotEqualTo(released);
		}
	}

	@Test
	void portInUseIsNotFree() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("127.0.0.1", 0));
			assertThat(FreePorts.isFree(socket.getLocalPort())).isFalse();
		}
	}

	@Test
	void rejectsANonPositiveCount() {
		assertThatIllegalArgumentException().isThrownBy(() -> FreePorts.find(0));
	}

	@Test
	void checkPortAcceptsZeroForAFreePortAndRejectsWhatNoPortCanBe() {
		assertThat(FreePorts.checkPort(0, "port")).isZero();
		assertThat(FreePorts.checkPort(65535, "port")).isEqualTo(65535);
		assertThatIllegalArgumentException().isThrownBy(() -> FreePorts.checkPort(65536, "controllerPort"))
			.withMessage("controllerPort must be between 0 and 65535, but was 65536");
		assertThatIllegalArgumentException().isThrownBy(() -> FreePorts.checkPort(-1, "port"));
	}

}
