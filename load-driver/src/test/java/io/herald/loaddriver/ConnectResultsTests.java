package io.herald.loaddriver;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectResultsTests {

	@Test
	void handshakesPerSecondCountHellosOverTheTimeToTheLastOne() {
		Histogram hello = new Histogram(3);
		hello.recordValue(4_000);
		hello.recordValue(40_000);
		ConnectResults results = new ConnectResults(
				Options.parse("connect", "--users", "2000", "--rate", "1000", "--run", "abc"), Duration.ofSeconds(2),
				hello, 2000, Map.of());

		assertThat(results.handshakesPerSecond()).isEqualTo(1000.0);
		assertThat(results.work()).isEqualTo(new Report.Work(2000, "handshake"));
		assertThat(results.table()).contains("2000 WebSocket users at 1000/s, open loop (run abc)")
			.contains("1000 handshakes/s")
			.contains("due to hello ms     p50 4.00");
		assertThat(results.json()).contains("\"handshakesPerSecond\": 1000.0").contains("\"helloMs\": {\"count\": 2");
	}

}
