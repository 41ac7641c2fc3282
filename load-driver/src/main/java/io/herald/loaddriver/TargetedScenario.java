package io.herald.loaddriver;

import org.HdrHistogram.Recorder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * End to end through the public API: connects {@code --users} WebSocket users, then publishes
 * events to one random user each at a fixed rate, open loop as {@link IngestScenario} does, and
 * measures from the moment each POST was due to its {@code notification} frame, matched by a
 * unique {@code k} in the event's {@code data}. After the last POST the driver waits
 * {@code --drain} for what is still on its way; what has not arrived by then is lost.
 */
final class TargetedScenario {

	/** How long the driver keeps listening after the last awaited frame, to see late duplicates. */
	static final Duration LINGER = Duration.ofSeconds(1);

	private final Options options;

	private final DeliveryLedger ledger = new DeliveryLedger();

	private final Recorder postLatency = new Recorder(3);

	private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

	private final AtomicLong outstanding = new AtomicLong();

	/** Events due before this ({@link System#nanoTime()}) belong to the warm-up. */
	private volatile long measureFrom;

	TargetedScenario(Options options) {
		this.options = options;
	}

	Report run() throws InterruptedException {
		FileLimit.check(this.options.users(), this.options.connections());
		try (LiveUsers users = new LiveUsers(this.options.live(), this.ledger)) {
			Duration connected = users.open(this.options.users());
			if (connected == null) {
				return new NotMeasured("targeted", users.opened() + " of " + this.options.users() + " users got hello",
						users.errors());
			}
			long notSent = publish();
			long drainStart = System.nanoTime();
			long deadline = drainStart + this.options.live().drain().toNanos();
			while ((this.outstanding.get() > 0 || this.ledger.awaited() > 0) && System.nanoTime() < deadline) {
				LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
			}
			Duration drained = Duration.ofNanos(System.nanoTime() - drainStart);
			LockSupport.parkNanos(LINGER.toNanos());
			long lost = this.ledger.giveUp();
			return new TargetedResults(this.options, connected, snapshot(this.statuses), notSent,
					this.postLatency.getIntervalHistogram(), this.ledger.takeLatency(), this.ledger.delivered(), lost,
					this.ledger.duplicates(), this.ledger.outOfOrder(), this.ledger.unexpected(), drained,
					users.frames(), users.closes(), users.open());
		}
	}

	/** Sends every event at its time; returns the measured events not sent because the queue was full. */
	private long publish() {
		SplittableRandom random = new SplittableRandom(this.options.live().run().hashCode());
		long intervalNanos = (long) (1_000_000_000L / (double) this.options.rate());
		long notSent = 0;
		try (Http1Connections http = new Http1Connections(this.options.url(), this.options.connections(),
				this.options.maxInFlight())) {
			long start = System.nanoTime();
			this.measureFrom = start + this.options.warmup().toNanos();
			long end = this.measureFrom + this.options.duration().toNanos();
			long key = 0;
			for (long due = start; due - end < 0; due = start + (++key) * intervalNanos) {
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				String user = this.options.live().user(random.nextInt(this.options.users()));
				long dueAt = due;
				long k = key;
				boolean measured = due - this.measureFrom >= 0;
				this.ledger.expect(user, k, due, measured);
				this.outstanding.incrementAndGet();
				boolean queued = http.offer("/v1/events", this.options.apiKey(),
						event(user, due, k).getBytes(StandardCharsets.UTF_8),
						(response) -> answered(user, k, dueAt, measured, response));
				if (!queued) {
					this.outstanding.decrementAndGet();
					this.ledger.notAccepted(user, k);
					notSent += measured ? 1 : 0;
				}
			}
			while (this.outstanding.get() > 0) {
				LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
			}
		}
		return notSent;
	}

	private void answered(String user, long key, long due, boolean measured, Http1Connections.Response response) {
		if (response.status() != 202) {
			this.ledger.notAccepted(user, key);
		}
		if (measured) {
			this.postLatency.recordValue(Math.max(1, (System.nanoTime() - due) / 1_000));
			this.statuses.computeIfAbsent(response.status(), (status) -> new AtomicLong()).incrementAndGet();
		}
		this.outstanding.decrementAndGet();
	}

	/** The event: high priority, in-app only, to one user, carrying when it was due and its key. */
	static String event(String user, long dueNanos, long key) {
		return "{\"type\":\"bench.targeted\",\"recipients\":{\"users\":[\"" + user
				+ "\"]},\"channels\":[\"inapp\"],\"priority\":\"high\",\"content\":{\"title\":\"t\",\"body\":\"b\"},"
				+ "\"data\":{\"sentAtNanos\":" + dueNanos + ",\"k\":" + key + "}}";
	}

	private static Map<Integer, Long> snapshot(Map<Integer, AtomicLong> counters) {
		Map<Integer, Long> copy = new TreeMap<>();
		counters.forEach((key, count) -> copy.put(key, count.get()));
		return copy;
	}

}
