package io.herald.loaddriver;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@code targeted}, {@code reconnect} or {@code mixed} run measured.
 *
 * @param options the run's options
 * @param connected how long opening every connection took, until the last {@code hello}
 * @param statuses measured POST responses by HTTP status ({@code -1} for transport
 * errors)
 * @param notSent measured events not sent because too many requests were queued
 * @param postLatency from each measured POST's due time to its response, microseconds
 * @param deliveryLatency from each measured POST's due time to its notification frame,
 * microseconds
 * @param latencyByLane {@code mixed}: the delivery latency of the {@code critical} and
 * the {@code bulk} notifications, each on its own; empty otherwise
 * @param bulkAccepted {@code mixed}: bulk notifications accepted (recipients of accepted
 * bulk events)
 * @param delivered measured notifications received (once each)
 * @param lost measured notifications accepted but not received within {@code --drain}
 * @param duplicates notification frames received a second time
 * @param outOfOrder notification frames whose seq was not the user's previous highest
 * plus one
 * @param unexpected notification frames the driver never sent to that user
 * @param drained how long the driver waited after the last POST was answered or timed out
 * @param frames every frame received, by type (warm-up included)
 * @param closes connections the gateway closed or that failed, by close code or
 * {@code error}
 * @param openAtEnd connections still open at the end
 * @param reconnects reconnect attempts after dropped connections, and the time each drop
 * took to be resumed
 */
record TargetedResults(Options options, Duration connected, Map<Integer, Long> statuses, long notSent,
		Histogram postLatency, Histogram deliveryLatency, Map<String, Histogram> latencyByLane, long bulkAccepted,
		long delivered, long lost, long duplicates, long outOfOrder, long unexpected, Duration drained,
		Map<String, Long> frames, Map<String, Long> closes, long openAtEnd,
		LiveUsers.Reconnects reconnects) implements Report {

	long accepted() {
		return this.statuses.getOrDefault(202, 0L);
	}

	@Override
	public Accounting accounting() {
		return new Accounting(accepted() + this.bulkAccepted, this.delivered, this.lost, this.duplicates,
				this.outOfOrder, this.unexpected);
	}

	@Override
	public String table() {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "scenario %s: %d events/s for %ds to %d WebSocket users (run %s)%n",
				this.options.scenario(), this.options.rate(), this.options.duration().toSeconds(), this.options.users(),
				this.options.live().run()));
		out.append(String.format(Locale.ROOT, "  connected in        %10.1f s%n", this.connected.toMillis() / 1000.0));
		out.append(String.format(Locale.ROOT, "  POST responses      %s%n", this.statuses));
		out.append(String.format(Locale.ROOT, "  not sent (backlog)  %10d%n", this.notSent));
		out.append(String.format(Locale.ROOT, "  accepted            %10d%n", accepted()));
		if (!this.latencyByLane.isEmpty()) {
			out.append(String.format(Locale.ROOT, "  bulk accepted       %10d  (notifications)%n", this.bulkAccepted));
		}
		out.append(String.format(Locale.ROOT, "  delivered           %10d%n", this.delivered));
		out.append(String.format(Locale.ROOT,
				"  lost                %10d  (waited %.1f s after the last answer; --drain %ds)%n", this.lost,
				this.drained.toMillis() / 1000.0, this.options.live().drain().toSeconds()));
		out.append(String.format(Locale.ROOT, "  duplicated          %10d%n", this.duplicates));
		out.append(String.format(Locale.ROOT, "  out of order        %10d%n", this.outOfOrder));
		out.append(String.format(Locale.ROOT, "  unexpected          %10d%n", this.unexpected));
		out.append(String.format(Locale.ROOT, "  frames received     %s%n", this.frames));
		out.append(String.format(Locale.ROOT, "  closes              %s  (open at end: %d)%n", this.closes,
				this.openAtEnd));
		out.append("  POST to 202 ms      ").append(Json.latencyText(this.postLatency)).append('\n');
		out.append("  POST to frame ms    ").append(Json.latencyText(this.deliveryLatency)).append('\n');
		this.latencyByLane.forEach((lane, latency) -> out.append(String.format(Locale.ROOT, "    %-8s          ", lane))
			.append(Json.latencyText(latency))
			.append('\n'));
		if (this.reconnects.attempts() > 0) {
			out.append(String.format(Locale.ROOT, "  reconnect attempts  %10d  (resumed %d, still resuming %d)%n",
					this.reconnects.attempts(), this.reconnects.resumeLatency().getTotalCount(),
					this.reconnects.resuming()));
			out.append("  drop to resumed ms  ").append(Json.latencyText(this.reconnects.resumeLatency())).append('\n');
		}
		return out.toString();
	}

	@Override
	public String json() {
		return String.format(Locale.ROOT, """
				{"scenario": %s, "run": %s, "users": %d, "offeredEventsPerSecond": %d, "measuredSeconds": %d,
				 "connectSeconds": %.1f, "statuses": {%s}, "notSent": %d, "accepted": %d, "delivered": %d, "lost": %d,
				 "duplicated": %d, "outOfOrder": %d, "unexpected": %d, "drainSeconds": %.1f, "frames": {%s},
				 "closes": {%s}, "openAtEnd": %d, "bulkAccepted": %d,
				 "reconnects": {"attempts": %d, "resumed": %d, "stillResuming": %d, "dropToResumedMs": %s},
				 "postLatencyMs": %s,
				 "deliveryLatencyMs": %s,
				 "deliveryLatencyByLaneMs": {%s}}
				""", Json.string(this.options.scenario()), Json.string(this.options.live().run()), this.options.users(),
				this.options.rate(), this.options.duration().toSeconds(), this.connected.toMillis() / 1000.0,
				Json.members(this.statuses), this.notSent, accepted(), this.delivered, this.lost, this.duplicates,
				this.outOfOrder, this.unexpected, this.drained.toMillis() / 1000.0, Json.members(this.frames),
				Json.members(this.closes), this.openAtEnd, this.bulkAccepted, this.reconnects.attempts(),
				this.reconnects.resumeLatency().getTotalCount(), this.reconnects.resuming(),
				Json.latency(this.reconnects.resumeLatency()), Json.latency(this.postLatency),
				Json.latency(this.deliveryLatency),
				this.latencyByLane.entrySet()
					.stream()
					.map((lane) -> Json.string(lane.getKey()) + ": " + Json.latency(lane.getValue()))
					.collect(java.util.stream.Collectors.joining(", ")));
	}

}
