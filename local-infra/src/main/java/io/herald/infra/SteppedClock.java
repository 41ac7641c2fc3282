package io.herald.infra;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock in UTC that moves only when a test steps it: for code that takes a
 * {@link Clock} and decides by elapsed time (caches, windows, leases), tested without
 * waiting.
 */
public final class SteppedClock extends Clock {

	private volatile Instant now;

	/**
	 * @param now the instant the clock shows until it is stepped
	 */
	public SteppedClock(Instant now) {
		this.now = now;
	}

	/** Moves the clock forward (or back, with a negative duration). */
	public void step(Duration by) {
		this.now = this.now.plus(by);
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

}
