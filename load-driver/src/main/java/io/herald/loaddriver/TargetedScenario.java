package io.herald.loaddriver;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * End to end through the public API: connects {@code --users} WebSocket users, then
 * publishes events to one random user each at a fixed rate, open loop as
 * {@link IngestScenario} does, and measures from the moment each POST was due to its
 * {@code notification} frame, matched by a unique {@code k} in the event's {@code data}.
 * After the last POST the driver waits {@code --drain} for what is still on its way; what
 * has not arrived by then is lost.
 *
 * <p>
 * Two variants share the run:
 * <ul>
 * <li>{@code reconnect}: halfway through the measured time every connection is dropped
 * without a close handshake, as a network change does; each user connects again at once
 * and sends {@code resume} with the last seq it saw. Nothing may be lost, duplicated or
 * out of order.</li>
 * <li>{@code mixed}: the events are {@code critical}, and a flood of {@code --bulk-rate}
 * notifications per second, every other event {@code high} and the rest {@code low}
 * (marketing), goes to the same users at the same time, in events of {@code --batch-size}
 * recipients; the latency of the critical events and of the flood ({@code bulk}) is
 * reported on its own, to show that critical notifications wait behind neither
 * (docs/adr/014).</li>
 * </ul>
 * Users whose connection drops for any other reason (a gateway restart, say) reconnect
 * the same way, with a backoff, in every variant.
 */
final class TargetedScenario {

	/**
	 * How long the driver keeps listening after the last awaited frame, to see late
	 * duplicates.
	 */
	static final Duration LINGER = Duration.ofSeconds(1);

	/** Bulk notifications' keys start here, far above the targeted ones. */
	static final long BULK_KEYS = 1L << 40;

	private final Options options;

	private final DeliveryLedger ledger = new DeliveryLedger();

	private final Recorder postLatency = new Recorder(3);

	private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

	private final AtomicLong outstanding = new AtomicLong();

	private final AtomicLong bulkAccepted = new AtomicLong();

	private final Runnable disruption;

	private final CpuMeter cpu;

	/** Asked before each event: {@code true} ends the sending early. */
	private final BooleanSupplier stop;

	/** Events due before this ({@link System#nanoTime()}) belong to the warm-up. */
	private volatile long measureFrom;

	/**
	 * A run with an extra disruption halfway through the measured time, on its own
	 * thread: the chaos suite kills a process there.
	 */
	TargetedScenario(Options options, Runnable disruption, BooleanSupplier stop, CpuMeter cpu) {
		this.options = options;
		this.disruption = disruption;
		this.stop = stop;
		this.cpu = cpu;
	}

	private boolean mixed() {
		return "mixed".equals(this.options.scenario());
	}

	Report run() throws InterruptedException {
		FileLimit.check(this.options.users(), this.options.connections() * (mixed() ? 2 : 1));
		try (LiveUsers users = new LiveUsers(this.options.live(), this.ledger)) {
			Duration connected = users.open(this.options.users());
			if (connected == null) {
				return new NotMeasured(this.options.scenario(),
						users.opened() + " of " + this.options.users() + " users got hello", users.errors());
			}
			Runnable midway = "reconnect".equals(this.options.scenario()) ? () -> {
				users.dropAll();
				this.disruption.run();
			} : this.disruption;
			Thread bulk = mixed() ? Thread.ofPlatform().name("bulk-flood").start(this::flood) : null;
			long notSent = publish(midway);
			if (bulk != null) {
				bulk.join();
			}
			long drainStart = System.nanoTime();
			long deadline = drainStart + this.options.live().drain().toNanos();
			while ((this.outstanding.get() > 0 || this.ledger.awaited() > 0) && System.nanoTime() < deadline) {
				LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
			}
			this.cpu.end();
			Duration drained = Duration.ofNanos(System.nanoTime() - drainStart);
			LockSupport.parkNanos(LINGER.toNanos());
			long lost = this.ledger.giveUp();
			Map<String, Histogram> byLane = new TreeMap<>();
			if (mixed()) {
				byLane.put("critical", this.ledger.takeLatency("critical"));
				byLane.put("bulk", this.ledger.takeLatency("bulk"));
			}
			return new TargetedResults(this.options, connected, snapshot(this.statuses), notSent,
					this.postLatency.getIntervalHistogram(), this.ledger.takeLatency(), byLane, this.bulkAccepted.get(),
					this.ledger.delivered(), lost, this.ledger.duplicates(), this.ledger.outOfOrder(),
					this.ledger.unexpected(), drained, users.frames(), users.closes(), users.open(),
					users.reconnects());
		}
	}

	/**
	 * Sends every event at its time, running {@code midway} on its own thread halfway
	 * through the measured time; returns the measured events not sent because the queue
	 * was full.
	 */
	private long publish(Runnable midway) throws InterruptedException {
		SplittableRandom random = new SplittableRandom(this.options.live().run().hashCode());
		long intervalNanos = (long) (1_000_000_000L / (double) this.options.rate());
		long notSent = 0;
		Thread disrupting = null;
		String priority = mixed() ? "critical" : "high";
		try (Http1Connections http = new Http1Connections(this.options.url(), this.options.connections(),
				this.options.maxInFlight())) {
			long start = System.nanoTime();
			this.measureFrom = start + this.options.warmup().toNanos();
			this.cpu.startAt(this.measureFrom);
			long end = this.measureFrom + this.options.duration().toNanos();
			long halfway = this.measureFrom + this.options.duration().toNanos() / 2;
			long key = 0;
			for (long due = start; due - end < 0; due = start + (++key) * intervalNanos) {
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				if (this.stop.getAsBoolean()) {
					break;
				}
				if (disrupting == null && due - halfway >= 0) {
					disrupting = Thread.ofPlatform().name("disruption").start(midway);
				}
				String user = this.options.live().user(random.nextInt(this.options.users()));
				long dueAt = due;
				long k = key;
				boolean measured = due - this.measureFrom >= 0;
				this.ledger.expect(user, k, due, measured, mixed() ? "critical" : "");
				this.outstanding.incrementAndGet();
				boolean queued = http.offer("/v1/events", this.options.apiKey(),
						event(user, due, k, priority).getBytes(StandardCharsets.UTF_8),
						(response) -> answered(List.of(user), k, dueAt, measured, response));
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
		if (disrupting != null) {
			disrupting.join();
		}
		return notSent;
	}

	/**
	 * The marketing flood of {@code mixed}: events of {@code --batch-size} random
	 * recipients, at {@code --bulk-rate} notifications per second in all, from the start
	 * of the warm-up to the end of the measured time.
	 */
	private void flood() {
		int recipients = Math.min(this.options.batchSize(), this.options.users());
		int rate = (this.options.live().bulkRate() > 0) ? this.options.live().bulkRate() : 10 * this.options.rate();
		long intervalNanos = (long) (1_000_000_000L * recipients / (double) rate);
		SplittableRandom random = new SplittableRandom(this.options.live().run().hashCode() + 1);
		try (Http1Connections http = new Http1Connections(this.options.url(), this.options.connections(),
				this.options.maxInFlight())) {
			long start = System.nanoTime();
			long measureFrom = start + this.options.warmup().toNanos();
			long end = measureFrom + this.options.duration().toNanos();
			long key = BULK_KEYS;
			for (long due = start; due - end < 0; due = start + (++key - BULK_KEYS) * intervalNanos) {
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				List<String> users = random.ints(0, this.options.users())
					.distinct()
					.limit(recipients)
					.mapToObj(this.options.live()::user)
					.toList();
				long k = key;
				long dueAt = due;
				boolean measured = due - measureFrom >= 0;
				users.forEach((user) -> this.ledger.expect(user, k, dueAt, measured, "bulk"));
				this.outstanding.incrementAndGet();
				boolean queued = http.offer("/v1/events", this.options.apiKey(),
						bulkEvent(users, due, k).getBytes(StandardCharsets.UTF_8), (response) -> {
							if (response.status() == 202) {
								this.bulkAccepted.addAndGet(users.size());
							}
							answered(users, k, dueAt, false, response);
						});
				if (!queued) {
					this.outstanding.decrementAndGet();
					users.forEach((user) -> this.ledger.notAccepted(user, k));
				}
			}
			while (this.outstanding.get() > 0) {
				LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
			}
		}
	}

	private void answered(List<String> users, long key, long due, boolean measured,
			Http1Connections.Response response) {
		if (response.status() != 202) {
			users.forEach((user) -> this.ledger.notAccepted(user, key));
		}
		if (measured) {
			this.postLatency.recordValue(Math.max(1, (System.nanoTime() - due) / 1_000));
			this.statuses.computeIfAbsent(response.status(), (status) -> new AtomicLong()).incrementAndGet();
		}
		this.outstanding.decrementAndGet();
	}

	/** The event: in-app only, to one user, carrying when it was due and its key. */
	static String event(String user, long dueNanos, long key, String priority) {
		return "{\"type\":\"bench.targeted\",\"recipients\":{\"users\":[\"" + user
				+ "\"]},\"channels\":[\"inapp\"],\"priority\":\"" + priority
				+ "\",\"content\":{\"title\":\"t\",\"body\":\"b\"}," + "\"data\":{\"sentAtNanos\":" + dueNanos
				+ ",\"k\":" + key + "}}";
	}

	/**
	 * An event of the flood, in-app only, to many users: a marketing notification of
	 * {@code low} priority for an even key, a {@code high} one for an odd key, so that
	 * the flood fills both lanes critical must not wait behind.
	 */
	static String bulkEvent(List<String> users, long dueNanos, long key) {
		String priority = (key % 2 == 0) ? "low" : "high";
		return "{\"type\":\"marketing.bench\",\"recipients\":{\"users\":[\"" + String.join("\",\"", users)
				+ "\"]},\"channels\":[\"inapp\"],\"priority\":\"" + priority
				+ "\",\"content\":{\"title\":\"t\",\"body\":\"b\"}," + "\"data\":{\"sentAtNanos\":" + dueNanos
				+ ",\"k\":" + key + "}}";
	}

	private static Map<Integer, Long> snapshot(Map<Integer, AtomicLong> counters) {
		Map<Integer, Long> copy = new TreeMap<>();
		counters.forEach((key, count) -> copy.put(key, count.get()));
		return copy;
	}

}
