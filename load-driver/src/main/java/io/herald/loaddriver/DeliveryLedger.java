package io.herald.loaddriver;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Matches the notification frames users receive against the notifications the driver
 * expects them to, and keeps the counts a delivery guarantee is judged by. Thread-safe;
 * frames of one user must be reported in the order they arrived (one WebSocket calls its
 * listener sequentially).
 *
 * <ul>
 * <li>A notification is identified by its user and the {@code k} of its {@code data}; the
 * first frame that carries it is <em>delivered</em> and its latency (from when it was
 * sent, in microseconds) recorded, a later one is a <em>duplicate</em>, and one the
 * driver never sent that user is <em>unexpected</em>.</li>
 * <li>Every notification frame of a user must carry the seq after the highest that user
 * has seen (starting from {@code hello}'s {@code lastSeq}); each frame that does not is
 * <em>out of order</em>: a gap counts once at the frame after it, a frame that comes late
 * or twice counts once itself.</li>
 * <li>A notification whose POST was accepted but that has not arrived is
 * <em>awaited</em>; when the driver stops waiting ({@link #giveUp()}) it is
 * <em>lost</em>, and should it arrive after all, <em>late</em>.</li>
 * </ul>
 * Only notifications expected as measured (not warm-up) count towards delivered, lost and
 * the latency; duplicates, unexpected and out-of-order frames count whenever they happen.
 */
final class DeliveryLedger {

	/** What a received notification frame turned out to be. */
	enum Outcome {

		DELIVERED, DUPLICATE, LATE, UNEXPECTED

	}

	private final ConcurrentMap<String, Expected> expected = new ConcurrentHashMap<>();

	private final Set<String> received = ConcurrentHashMap.newKeySet();

	private final Set<String> givenUp = ConcurrentHashMap.newKeySet();

	private final ConcurrentMap<String, UserSeq> seqs = new ConcurrentHashMap<>();

	private final Recorder latency = new Recorder(3);

	private final ConcurrentMap<String, Recorder> latencyByKind = new ConcurrentHashMap<>();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	private final LongAdder unexpected = new LongAdder();

	private final LongAdder late = new LongAdder();

	private final LongAdder outOfOrder = new LongAdder();

	/**
	 * The user's inbox held notifications up to {@code lastSeq} when the connection
	 * opened.
	 */
	void hello(String user, long lastSeq) {
		this.seqs.computeIfAbsent(user, (key) -> new UserSeq()).start(lastSeq);
	}

	/**
	 * A notification is about to be sent.
	 * @param sentNanos when it was sent or due ({@link System#nanoTime()}), latency
	 * counts from there
	 * @param measured whether it counts (not warm-up)
	 */
	void expect(String user, long key, long sentNanos, boolean measured) {
		expect(user, key, sentNanos, measured, "");
	}

	/**
	 * A notification of a kind (a lane, say) is about to be sent; its latency is also
	 * recorded for the kind, see {@link #takeLatency(String)}.
	 */
	void expect(String user, long key, long sentNanos, boolean measured, String kind) {
		this.expected.put(id(user, key), new Expected(sentNanos, measured, kind));
	}

	/** The POST of an expected notification was not accepted, so it is not awaited. */
	void notAccepted(String user, long key) {
		Expected entry = this.expected.get(id(user, key));
		if (entry != null) {
			entry.accepted = false;
		}
	}

	/** A notification frame arrived at {@code nowNanos}. */
	Outcome received(String user, long seq, long key, long nowNanos) {
		if (!this.seqs.computeIfAbsent(user, (name) -> new UserSeq()).next(seq)) {
			this.outOfOrder.increment();
		}
		String id = id(user, key);
		Expected entry = this.expected.remove(id);
		if (entry != null) {
			this.received.add(id);
			if (entry.measured) {
				this.delivered.increment();
				long micros = Math.max(1, (nowNanos - entry.sentNanos) / 1_000);
				this.latency.recordValue(micros);
				if (!entry.kind.isEmpty()) {
					this.latencyByKind.computeIfAbsent(entry.kind, (kind) -> new Recorder(3)).recordValue(micros);
				}
			}
			return Outcome.DELIVERED;
		}
		if (this.received.contains(id)) {
			this.duplicates.increment();
			return Outcome.DUPLICATE;
		}
		if (this.givenUp.remove(id)) {
			this.received.add(id);
			this.late.increment();
			return Outcome.LATE;
		}
		this.unexpected.increment();
		return Outcome.UNEXPECTED;
	}

	/**
	 * Measured notifications accepted and not received yet; at the end of a run, the lost
	 * ones.
	 */
	long awaited() {
		return this.expected.values().stream().filter((entry) -> entry.measured && entry.accepted).count();
	}

	/**
	 * Stops waiting for what has not arrived.
	 * @return the measured notifications that were accepted and never arrived: the lost
	 * ones
	 */
	long giveUp() {
		long lost = 0;
		for (var entry : this.expected.entrySet()) {
			// Marked first, so that a frame arriving meanwhile counts as late rather than
			// unexpected.
			this.givenUp.add(entry.getKey());
			if (!this.expected.remove(entry.getKey(), entry.getValue())) {
				this.givenUp.remove(entry.getKey());
			}
			else if (entry.getValue().measured && entry.getValue().accepted) {
				lost++;
			}
		}
		return lost;
	}

	/** Latencies in microseconds recorded since the last call; resets them. */
	Histogram takeLatency() {
		return this.latency.getIntervalHistogram();
	}

	/**
	 * Latencies in microseconds of the notifications of one kind recorded since the last
	 * call; resets them.
	 */
	Histogram takeLatency(String kind) {
		return this.latencyByKind.computeIfAbsent(kind, (name) -> new Recorder(3)).getIntervalHistogram();
	}

	long delivered() {
		return this.delivered.sum();
	}

	long duplicates() {
		return this.duplicates.sum();
	}

	long unexpected() {
		return this.unexpected.sum();
	}

	/** Notifications that arrived after {@link #giveUp()} had counted them lost. */
	long late() {
		return this.late.sum();
	}

	long outOfOrder() {
		return this.outOfOrder.sum();
	}

	private static String id(String user, long key) {
		return user + '/' + key;
	}

	private static final class Expected {

		private final long sentNanos;

		private final boolean measured;

		private final String kind;

		private volatile boolean accepted = true;

		Expected(long sentNanos, boolean measured, String kind) {
			this.sentNanos = sentNanos;
			this.measured = measured;
			this.kind = kind;
		}

	}

	/**
	 * The highest seq a user has seen; {@code -1} until {@code hello} or the first frame.
	 */
	private static final class UserSeq {

		private long highest = -1;

		synchronized void start(long lastSeq) {
			this.highest = lastSeq;
		}

		/** Takes the next frame's seq; tells whether it was the one expected. */
		synchronized boolean next(long seq) {
			boolean inOrder = this.highest < 0 || seq == this.highest + 1;
			this.highest = Math.max(this.highest, seq);
			return inOrder;
		}

	}

}
