package io.herald.infra.sandbox;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Failures a sandbox should answer instead of handling requests: the next {@code n}
 * requests, or every request until cleared. Thread-safe; each request consumes at most
 * one planned failure, so {@code failNext(2, ...)} fails exactly two requests even when
 * they race.
 *
 * @param <F> the kind of failure
 */
final class FailurePlan<F> {

	private @Nullable F kind;

	private int remaining;

	private boolean untilCleared;

	synchronized void failNext(int count, F kind) {
		if (count < 1) {
			throw new IllegalArgumentException("count must be at least 1, but was " + count);
		}
		this.kind = kind;
		this.remaining = count;
		this.untilCleared = false;
	}

	synchronized void failUntilCleared(F kind) {
		this.kind = kind;
		this.untilCleared = true;
	}

	synchronized void clear() {
		this.kind = null;
		this.remaining = 0;
		this.untilCleared = false;
	}

	/**
	 * Takes the failure for the current request, if one is planned.
	 * @return the failure to answer, or empty to handle the request normally
	 */
	synchronized Optional<F> take() {
		F current = this.kind;
		if (current == null) {
			return Optional.empty();
		}
		if (!this.untilCleared && --this.remaining == 0) {
			this.kind = null;
		}
		return Optional.of(current);
	}

}
