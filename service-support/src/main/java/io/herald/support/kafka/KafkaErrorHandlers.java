package io.herald.support.kafka;

import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How Herald's listener containers react when a batch fails: the error handler every
 * service gets from {@link KafkaSupportAutoConfiguration}, and the one a service starts
 * from when it needs a variant of it.
 */
public final class KafkaErrorHandlers {

	/** The first pause after a failed batch. */
	static final long INITIAL_PAUSE_MILLIS = 100;

	/** Each pause is this many times the one before. */
	static final double PAUSE_MULTIPLIER = 2;

	/**
	 * The longest pause, 5 seconds: short enough that a consumer resumes soon after Redis
	 * or the broker is back, long enough that an outage does not turn into a busy loop.
	 */
	static final long MAX_PAUSE_MILLIS = 5_000;

	private KafkaErrorHandlers() {
	}

	/**
	 * Retries a failing batch (Redis or the broker down, say) with growing pauses,
	 * without end, so that a consumer never skips a record: every Herald consumer's work
	 * is idempotent, and records that cannot be decoded never get here, the listeners
	 * dead-letter them themselves ({@link DeadLetters}).
	 */
	public static DefaultErrorHandler retryingWithoutEnd() {
		return new DefaultErrorHandler(pausesWithoutEnd());
	}

	/**
	 * The pauses between attempts: growing, up to {@link #MAX_PAUSE_MILLIS}, never
	 * ending.
	 */
	static ExponentialBackOff pausesWithoutEnd() {
		ExponentialBackOff backOff = new ExponentialBackOff(INITIAL_PAUSE_MILLIS, PAUSE_MULTIPLIER);
		backOff.setMaxInterval(MAX_PAUSE_MILLIS);
		return backOff;
	}

}
