package io.herald.routing.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code max} deliveries to one user on one channel in any window of length
 * {@code window}.
 *
 * @param max deliveries allowed per window, at least 1
 * @param window the length of the sliding window, positive
 */
public record RateLimit(int max, Duration window) {

	public RateLimit {
		Objects.requireNonNull(window, "window");
		if (max < 1) {
			throw new IllegalArgumentException("A rate limit must allow at least 1 delivery, not " + max);
		}
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("A rate limit's window must be positive, not " + window);
		}
	}

}
