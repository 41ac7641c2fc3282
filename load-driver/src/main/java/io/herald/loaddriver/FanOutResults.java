package io.herald.loaddriver;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a {@code fanout} run measured.
 *
 * @param options the run's options
 * @param connected how long opening every connection took, until the last {@code hello}
 * @param subscribed how long subscribing every user to the topic took
 * @param rounds one per event published
 * @param frames every frame received, by type
 * @param closes connections the gateway closed or that failed, by close code or
 * {@code error}
 * @param openAtEnd connections still open at the end
 * @param late frames that arrived after their round had counted them lost
 */
record FanOutResults(Options options, Duration connected, Duration subscribed, List<Round> rounds,
		Map<String, Long> frames, Map<String, Long> closes, long openAtEnd, long late) implements Report {

	/**
	 * One event to the topic.
	 *
	 * @param status the POST's HTTP status
	 * @param answered from sending the POST to its response
	 * @param latency from sending the POST to each user's frame, microseconds: its count
	 * is the users reached, its minimum the first frame, its maximum the last
	 * @param lost users without the frame {@code --duration} after the POST
	 * @param duplicates frames of this event received a second time
	 * @param outOfOrder frames whose seq was not the user's previous highest plus one
	 * @param unexpected frames the driver did not expect
	 */
	record Round(int status, Duration answered, Histogram latency, long lost, long duplicates, long outOfOrder,
			long unexpected) {

		long delivered() {
			return this.latency.getTotalCount();
		}

		/** Frames per second from the POST to the last frame. */
		double perSecond() {
			return (delivered() == 0) ? 0 : delivered() / (this.latency.getMaxValue() / 1e6);
		}

	}

	@Override
	public Accounting accounting() {
		Accounting total = new Accounting(0, 0, 0, 0, 0, 0);
		for (Round round : this.rounds) {
			long accepted = (round.status() == 202) ? this.options.users() : 0;
			total = total.plus(new Accounting(accepted, round.delivered(), round.lost(), round.duplicates(),
					round.outOfOrder(), round.unexpected()));
		}
		return total;
	}

	@Override
	public String table() {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "scenario fanout: %d events to %s, %d WebSocket users (run %s)%n",
				this.rounds.size(),
				"all".equals(this.options.live().audience()) ? "all users of the tenant" : "a topic",
				this.options.users(), this.options.live().run()));
		out.append(String.format(Locale.ROOT, "  connected in        %10.1f s%n", this.connected.toMillis() / 1000.0));
		out.append(String.format(Locale.ROOT, "  subscribed in       %10.1f s%n", this.subscribed.toMillis() / 1000.0));
		out.append(String.format(Locale.ROOT, "  frames received     %s%n", this.frames));
		out.append(String.format(Locale.ROOT, "  closes              %s  (open at end: %d)%n", this.closes,
				this.openAtEnd));
		out.append(String.format(Locale.ROOT,
				"  late frames         %10d  (arrived after their round counted them lost)%n", this.late));
		out.append(
				"  round  POST  202 ms  delivered  lost  dup  ooo  first ms   p50 ms   p90 ms   p99 ms  last ms  frames/s\n");
		for (int i = 0; i < this.rounds.size(); i++) {
			Round round = this.rounds.get(i);
			Histogram latency = round.latency();
			out.append(String.format(Locale.ROOT,
					"  %5d  %4d %7.1f %10d %5d %4d %4d %9.1f %8.1f %8.1f %8.1f %8.1f %9.0f%n", i + 1, round.status(),
					round.answered().toNanos() / 1e6, round.delivered(), round.lost(), round.duplicates(),
					round.outOfOrder(), Json.millis(latency.getMinValue()), Json.percentile(latency, 50),
					Json.percentile(latency, 90), Json.percentile(latency, 99), Json.millis(latency.getMaxValue()),
					round.perSecond()));
		}
		return out.toString();
	}

	@Override
	public String json() {
		String rounds = this.rounds.stream()
			.map((round) -> String.format(Locale.ROOT,
					"{\"status\": %d, \"postMs\": %.1f, \"delivered\": %d, \"lost\": %d, \"duplicated\": %d, "
							+ "\"outOfOrder\": %d, \"unexpected\": %d, \"framesPerSecond\": %.0f, \"latencyMs\": %s}",
					round.status(), round.answered().toNanos() / 1e6, round.delivered(), round.lost(),
					round.duplicates(), round.outOfOrder(), round.unexpected(), round.perSecond(),
					Json.latency(round.latency())))
			.collect(Collectors.joining(",\n  "));
		return String.format(Locale.ROOT,
				"""
						{"scenario": "fanout", "audience": %s, "run": %s, "users": %d, "connectSeconds": %.1f, "subscribeSeconds": %.1f,
						 "frames": {%s}, "closes": {%s}, "openAtEnd": %d, "late": %d,
						 "rounds": [
						  %s]}
						""",
				Json.string(this.options.live().audience()), Json.string(this.options.live().run()),
				this.options.users(), this.connected.toMillis() / 1000.0, this.subscribed.toMillis() / 1000.0,
				Json.members(this.frames), Json.members(this.closes), this.openAtEnd, this.late, rounds);
	}

}
