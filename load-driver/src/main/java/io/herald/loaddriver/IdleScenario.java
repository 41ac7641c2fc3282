package io.herald.loaddriver;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * What an idle connection costs the gateway: samples the gateway's memory, opens
 * {@code --users} WebSocket users (each pings every {@code heartbeatSec}), waits
 * {@code --settle}, samples again, and holds the connections until {@code --duration} has
 * passed since the last {@code hello}, counting any the gateway closes. Memory per
 * connection is the difference of the smallest samples before and after, divided by the
 * connections; see {@link GatewayMemory} for why the smallest.
 */
final class IdleScenario {

	private final Options options;

	IdleScenario(Options options) {
		this.options = options;
	}

	Report run() throws InterruptedException {
		FileLimit.check(this.options.users(), 0);
		Options.Live live = this.options.live();
		GatewayMemory memory = new GatewayMemory(live.gatewayManagementUrl(), live.gatewayPid());
		String residentSource = memory.residentSource();
		List<GatewayMemory.Sample> before = memory.sample(live.samples());
		try (LiveUsers users = new LiveUsers(live, new DeliveryLedger())) {
			Duration connected = users.open(this.options.users());
			if (connected == null) {
				return new NotMeasured("idle", users.opened() + " of " + this.options.users() + " users got hello",
						users.errors());
			}
			long heldFrom = System.nanoTime();
			LockSupport.parkNanos(live.settle().toNanos());
			List<GatewayMemory.Sample> after = memory.sample(live.samples());
			long heldUntil = heldFrom + this.options.duration().toNanos();
			for (long left = heldUntil - System.nanoTime(); left > 0; left = heldUntil - System.nanoTime()) {
				LockSupport.parkNanos(Math.min(left, Duration.ofSeconds(1).toNanos()));
			}
			return new IdleResults(this.options, connected, Duration.ofNanos(System.nanoTime() - heldFrom), before,
					after, residentSource, users.open(), users.pingsSent(), users.frames(), users.closes());
		}
	}

}
