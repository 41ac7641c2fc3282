package io.herald.gateway.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The sessions' metrics: open connections ({@code herald.gateway.connections}, by
 * transport), frames in and out by type, resumes by outcome, resets by reason, closes by
 * reason, how often a session's send buffer filled up
 * ({@code herald.gateway.session.lagged}), and the time from inbox append to frame
 * written ({@code herald.gateway.live.latency}, a histogram), and the time WebSocket
 * upgrades take by outcome ({@code herald.gateway.upgrades}, a histogram).
 */
@Component
class SessionMetrics {

	private final MeterRegistry meters;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> upgrades = new ConcurrentHashMap<>();

	private final Timer liveLatency;

	SessionMetrics(MeterRegistry meters) {
		this.meters = meters;
		this.liveLatency = Timer.builder("herald.gateway.live.latency")
			.description("Time from a notification's append to the inbox to its frame written to a connection")
			.publishPercentileHistogram()
			.register(meters);
	}

	MeterRegistry registry() {
		return this.meters;
	}

	void frameIn(String type) {
		count("herald.gateway.frames.in", "type", type);
	}

	void frameOut(String type) {
		count("herald.gateway.frames.out", "type", type);
	}

	void resumed(String outcome) {
		count("herald.gateway.resumes", "outcome", outcome);
	}

	void reset(ResetReason reason) {
		count("herald.gateway.resets", "reason", reason.wireName());
	}

	void closed(CloseReason reason) {
		count("herald.gateway.session.closes", "reason", reason.tag());
	}

	void lagged() {
		this.meters.counter("herald.gateway.session.lagged").increment();
	}

	void opened(String transport) {
		count("herald.gateway.session.opens", "transport", transport);
	}

	/**
	 * A WebSocket upgrade ({@code herald.gateway.upgrades}, a histogram):
	 * {@code upgraded}, or the refusal's code.
	 */
	void upgrade(String outcome, long nanos) {
		this.upgrades
			.computeIfAbsent(outcome,
					(tag) -> Timer.builder("herald.gateway.upgrades")
						.description("WebSocket upgrades by outcome: upgraded, or the code of the refusal")
						.tag("outcome", tag)
						.publishPercentileHistogram()
						.register(this.meters))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	void liveLatency(long appendedAtMs, long nowMs) {
		this.liveLatency.record(Duration.ofMillis(Math.max(0, nowMs - appendedAtMs)));
	}

	private void count(String name, String tag, String value) {
		this.counters.computeIfAbsent(name + '|' + value, (key) -> this.meters.counter(name, tag, value)).increment();
	}

}
