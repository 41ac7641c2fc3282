package io.herald.loaddriver;

import org.HdrHistogram.Recorder;

import java.time.Duration;

/**
 * How fast the gateway takes new connections: opens {@code --users} WebSocket users open
 * loop at {@code --rate} per second, each due at its time whatever became of the others,
 * and measures from each one's due time to its {@code hello} (so a gateway that falls
 * behind shows as latency, not as a slower pace). At most {@link #MAX_OPENING} handshakes
 * wait at once. The CPU the stack used over the run is divided by the handshakes. Before
 * the measured users, {@link #WARM_UP_USERS} of a run of their own are opened and closed,
 * so that the driver's own start (loading and compiling its client) is not counted as the
 * gateway's latency.
 */
final class ConnectScenario {

	/**
	 * Handshakes waiting for their {@code hello} at most; a user due beyond it waits, and
	 * the wait counts.
	 */
	static final int MAX_OPENING = 5_000;

	/** Users opened and closed before the measured ones, to warm the driver's client. */
	static final int WARM_UP_USERS = 1_000;

	private final Options options;

	private final CpuMeter cpu;

	ConnectScenario(Options options, CpuMeter cpu) {
		this.options = options;
		this.cpu = cpu;
	}

	Report run() throws InterruptedException {
		FileLimit.check(this.options.users(), 0);
		Recorder hello = new Recorder(3);
		try (LiveUsers warmUp = new LiveUsers(this.options.live().warmUp(), new DeliveryLedger())) {
			if (warmUp.open(WARM_UP_USERS) == null) {
				return new NotMeasured("connect", "the warm-up's users got no hello", warmUp.errors());
			}
		}
		try (LiveUsers users = new LiveUsers(this.options.live(), new DeliveryLedger())) {
			this.cpu.startAt(System.nanoTime());
			Duration connected = users.openAt(this.options.users(), this.options.rate(), MAX_OPENING, hello);
			this.cpu.end();
			if (connected == null) {
				return new NotMeasured("connect", users.opened() + " of " + this.options.users() + " users got hello",
						users.errors());
			}
			return new ConnectResults(this.options, connected, hello.getIntervalHistogram(), users.opened(),
					users.closes());
		}
	}

}
