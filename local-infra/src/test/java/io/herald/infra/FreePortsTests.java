package io.herald.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FreePortsTests {

	@Test
	void returnsDistinctPortsThatCanBeBoundBelowTheEphemeralRanges() {
		assertThat(FreePorts.find(5)).hasSize(5).doesNotHaveDuplicates().allSatisfy((port) -> {
			assertThat(port).isBetween(FreePorts.LOWEST, FreePorts.HIGHEST).isLessThan(32_768);
			assertThat(FreePorts.isFree(port)).isTrue();
		});
	}

	@Test
	void neverHandsOutAPortTwiceAlthoughItsFirstTakerNeverBoundIt() {
		Set<Integer> handedOut = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			assertThat(handedOut.addAll(FreePorts.find(5))).isTrue();
		}
		assertThat(handedOut).hasSize(1_000);
	}

	@Test
	void skipsAPortInUse() throws IOException {
		int next = FreePorts.find();
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress("127.0.0.1", (next == FreePorts.HIGHEST) ? FreePorts.LOWEST : next + 1));
			assertThat(FreePorts.find(3)).doesNotContain(taken.getLocalPort()).allSatisfy(FreePorts::isFree);
		}
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
