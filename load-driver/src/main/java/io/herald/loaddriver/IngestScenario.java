package io.herald.loaddriver;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Publishes events at a fixed rate, open loop: request {@code i} is due at
 * {@code start + i / requestRate} whether or not earlier ones were answered, and its
 * latency counts from when it was due, so a stalled server cannot hide its stall (no
 * coordinated omission). Runs the warm-up, then measures for the given duration.
 */
final class IngestScenario {

	private final Options options;

	private final Recorder recorder = new Recorder(3);

	private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

	private final AtomicLong outstanding = new AtomicLong();

	private final Map<String, AtomicLong> events = new ConcurrentHashMap<>();

	/** When the last measured response arrived ({@link System#nanoTime()}). */
	private final AtomicLong lastAnswer = new AtomicLong();

	private final CpuMeter cpu;

	/** Asked before each request: {@code true} ends the sending early. */
	private final BooleanSupplier stop;

	/** Requests due before this ({@link System#nanoTime()}) belong to the warm-up. */
	private volatile long measureFrom;

	IngestScenario(Options options, BooleanSupplier stop, CpuMeter cpu) {
		this.options = options;
		this.stop = stop;
		this.cpu = cpu;
	}

	Results run() {
		boolean batch = "ingest-batch".equals(this.options.scenario());
		double requestsPerSecond = batch ? (double) this.options.rate() / this.options.batchSize()
				: this.options.rate();
		long intervalNanos = (long) (1_000_000_000L / requestsPerSecond);
		String path = batch ? "/v1/events:batch" : "/v1/events";
		long notSent = 0;
		try (Http1Connections http = new Http1Connections(this.options.url(), this.options.connections(),
				this.options.maxInFlight())) {
			long start = System.nanoTime();
			this.measureFrom = start + this.options.warmup().toNanos();
			this.cpu.startAt(this.measureFrom);
			long end = this.measureFrom + this.options.duration().toNanos();
			long sequence = 0;
			for (long due = start; due - end < 0; due = start + (++sequence) * intervalNanos) {
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				if (this.stop.getAsBoolean()) {
					break;
				}
				long dueAt = due;
				this.outstanding.incrementAndGet();
				boolean queued = http.offer(path, this.options.apiKey(),
						body(batch, sequence).getBytes(StandardCharsets.UTF_8), (response) -> done(dueAt, response));
				if (!queued) {
					this.outstanding.decrementAndGet();
					if (dueAt - this.measureFrom >= 0) {
						notSent++;
					}
				}
			}
			while (this.outstanding.get() > 0) {
				LockSupport.parkNanos(10_000_000);
			}
			this.cpu.end();
		}
		Histogram latency = this.recorder.getIntervalHistogram();
		// Under overload the backlog drains after the last request was due: count that
		// time too.
		Duration measured = Duration
			.ofNanos(Math.max(this.options.duration().toNanos(), this.lastAnswer.get() - this.measureFrom));
		return new Results(this.options, measured, latency, snapshot(this.statuses), snapshot(this.events), notSent);
	}

	private void done(long due, Http1Connections.Response response) {
		if (due - this.measureFrom >= 0) {
			long now = System.nanoTime();
			this.recorder.recordValue(Math.max(1, (now - due) / 1_000));
			this.lastAnswer.accumulateAndGet(now, Math::max);
			this.statuses.computeIfAbsent(response.status(), (key) -> new AtomicLong()).incrementAndGet();
			if (response.status() == 207) {
				count("accepted", occurrences(response.body(), "\"status\":\"accepted\""));
				count("duplicate", occurrences(response.body(), "\"status\":\"duplicate\""));
				count("rejected", occurrences(response.body(), "\"status\":\"rejected\""));
			}
			else if (response.status() == 202) {
				count("accepted", 1);
			}
			else {
				count("rejected", ("ingest-batch".equals(this.options.scenario())) ? this.options.batchSize() : 1);
			}
		}
		this.outstanding.decrementAndGet();
	}

	private void count(String outcome, long events) {
		if (events > 0) {
			this.events.computeIfAbsent(outcome, (key) -> new AtomicLong()).addAndGet(events);
		}
	}

	static long occurrences(String text, String part) {
		long count = 0;
		for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
			count++;
		}
		return count;
	}

	private static <K> Map<K, Long> snapshot(Map<K, AtomicLong> counters) {
		Map<K, Long> copy = new java.util.TreeMap<>();
		counters.forEach((key, count) -> copy.put(key, count.get()));
		return copy;
	}

	private String body(boolean batch, long sequence) {
		if (!batch) {
			return event(sequence);
		}
		StringBuilder events = new StringBuilder("{\"events\":[");
		for (int i = 0; i < this.options.batchSize(); i++) {
			events.append((i > 0) ? "," : "").append(event(sequence * this.options.batchSize() + i));
		}
		return events.append("]}").toString();
	}

	private String event(long sequence) {
		return "{\"type\":\"bench.ingest\",\"recipients\":{\"users\":[\"bench-" + (sequence % this.options.users())
				+ "\"]},\"content\":{\"title\":\"Benchmark\",\"body\":\"Event " + sequence + "\"},\"data\":{\"seq\":"
				+ sequence + "}}";
	}

}
