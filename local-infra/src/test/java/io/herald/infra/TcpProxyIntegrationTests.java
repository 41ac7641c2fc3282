package io.herald.infra;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TcpProxyIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Test
	void forwardsToItsTargetAndMovesEveryClientWhenRetargeted() throws IOException {
		try (RedisServer first = RedisServer.builder().build().start();
				RedisServer second = RedisServer.builder().build().start();
				TcpProxy proxy = new TcpProxy(0, first.port())) {
			RespClient before = RespClient.connect(FreePorts.LOOPBACK, proxy.port(), TIMEOUT);
			assertThat(before.call("SET", "where", "first")).isEqualTo("OK");

			proxy.retarget(second.port());

			assertThat(proxy.target()).isEqualTo(second.port());
			assertThatExceptionOfType(IOException.class).as("an open connection is closed")
				.isThrownBy(() -> before.call("GET", "where"));
			before.close();
			try (RespClient after = RespClient.connect(FreePorts.LOOPBACK, proxy.port(), TIMEOUT)) {
				assertThat(after.call("GET", "where")).as("a new connection reaches the new target").isNull();
			}
			try (RespClient direct = RespClient.connect(FreePorts.LOOPBACK, first.port(), TIMEOUT)) {
				assertThat(direct.call("GET", "where")).isEqualTo("first");
			}
		}
	}

	@Test
	void aConnectionToATargetThatIsDownIsClosed() throws IOException {
		int nothing = FreePorts.find();
		try (TcpProxy proxy = new TcpProxy(0, nothing);
				RespClient client = RespClient.connect(FreePorts.LOOPBACK, proxy.port(), TIMEOUT)) {
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> client.call("PING"));
		}
	}

}
