package io.herald.loaddriver;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@code connect} run measured.
 *
 * @param options the run's options
 * @param connected from the first user's due time to the last {@code hello}
 * @param hello from each user's due time to its {@code hello}, in microseconds
 * @param opened users whose {@code hello} arrived
 * @param closes connections the gateway closed or that failed, by close code or
 * {@code error}
 */
record ConnectResults(Options options, Duration connected, Histogram hello, long opened,
		Map<String, Long> closes) implements Report {

	double handshakesPerSecond() {
		return this.opened / (this.connected.toNanos() / 1e9);
	}

	@Override
	public Work work() {
		return new Work(this.opened, "handshake");
	}

	@Override
	public String table() {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "scenario connect: %d WebSocket users at %d/s, open loop (run %s)%n",
				this.options.users(), this.options.rate(), this.options.live().run()));
		out.append(String.format(Locale.ROOT, "  connected in        %10.1f s, %.0f handshakes/s%n",
				this.connected.toMillis() / 1000.0, handshakesPerSecond()));
		out.append(String.format(Locale.ROOT, "  hello received      %10d%n", this.opened));
		out.append(String.format(Locale.ROOT, "  closes              %s%n", this.closes));
		out.append("  due to hello ms     ").append(Json.latencyText(this.hello)).append('\n');
		return out.toString();
	}

	@Override
	public String json() {
		return String.format(Locale.ROOT, """
				{"scenario": "connect", "users": %d, "rate": %d, "connectedSeconds": %.3f, "handshakesPerSecond": %.1f,
				 "hellos": %d, "closes": {%s}, "helloMs": %s}
				""", this.options.users(), this.options.rate(), this.connected.toNanos() / 1e9, handshakesPerSecond(),
				this.opened, Json.members(this.closes), Json.latency(this.hello));
	}

}
