package io.herald.loaddriver;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes events at a fixed rate, open loop: request {@code i} is due at
 * {@code start + i / requestRate} whether or not earlier ones were answered, and its latency
 * counts from when it was due. Runs the warm-up, then measures for the given duration.
 */
final class IngestScenario {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private final Options options;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final Recorder recorder = new Recorder(3);

	private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

	private final Semaphore inFlight;

	private volatile boolean measuring;

	/** Requests due before this ({@link System#nanoTime()}) belong to the warm-up. */
	private long measureFrom;

	IngestScenario(Options options) {
		this.options = options;
		this.inFlight = new Semaphore(options.maxInFlight());
	}

	Results run() throws InterruptedException {
		boolean batch = "ingest-batch".equals(this.options.scenario());
		double requestsPerSecond = batch ? (double) this.options.rate() / this.options.batchSize() : this.options.rate();
		long intervalNanos = (long) (1_000_000_000L / requestsPerSecond);
		URI uri = this.options.url().resolve(batch ? "/v1/events:batch" : "/v1/events");
		long start = System.nanoTime();
		this.measureFrom = start + this.options.warmup().toNanos();
		long end = this.measureFrom + this.options.duration().toNanos();
		long notSent = 0;
		long sequence = 0;
		for (long due = start; due < end; due = start + (++sequence) * intervalNanos) {
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			if (!this.measuring && due - this.measureFrom >= 0) {
				this.measuring = true;
				this.recorder.reset();
				this.statuses.clear();
			}
			if (!this.inFlight.tryAcquire()) {
				if (this.measuring) {
					notSent++;
				}
				continue;
			}
			send(uri, body(batch, sequence), due);
		}
		this.inFlight.acquire(this.options.maxInFlight());
		Histogram latency = this.recorder.getIntervalHistogram();
		Map<Integer, Long> counts = new ConcurrentHashMap<>();
		this.statuses.forEach((status, count) -> counts.put(status, count.get()));
		return new Results(this.options, this.options.duration(), latency, counts, notSent);
	}

	private void send(URI uri, String body, long due) {
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(REQUEST_TIMEOUT)
			.header("Authorization", "Bearer " + this.options.apiKey())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
			long micros = (System.nanoTime() - due) / 1_000;
			if (due - this.measureFrom >= 0) {
				this.recorder.recordValue(Math.max(1, micros));
				int status = (failure != null) ? -1 : response.statusCode();
				this.statuses.computeIfAbsent(status, (key) -> new AtomicLong()).incrementAndGet();
			}
			this.inFlight.release();
		});
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
