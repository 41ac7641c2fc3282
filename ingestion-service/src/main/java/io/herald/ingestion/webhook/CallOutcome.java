package io.herald.ingestion.webhook;

import org.jspecify.annotations.Nullable;

/**
 * What one try of a webhook call came to. A rejection is permanent (do not call again), a
 * failure temporary (retry).
 */
sealed interface CallOutcome {

	/** The wire and metric name of the outcome. */
	String name();

	/** The endpoint answered 2xx. */
	record Delivered(int status) implements CallOutcome {

		@Override
		public String name() {
			return "delivered";
		}

	}

	/**
	 * The endpoint answered {@code 410 Gone}: it wants no more calls, and is disabled.
	 */
	record Gone() implements CallOutcome {

		@Override
		public String name() {
			return "gone";
		}

	}

	/**
	 * Calling again would change nothing: a 4xx other than 408 and 429, a redirect (not
	 * followed: it could lead anywhere), or an address calls may not go to.
	 *
	 * @param reason for the dead letter, such as {@code status_404} or
	 * {@code private_address}
	 */
	record Rejected(String reason) implements CallOutcome {

		@Override
		public String name() {
			return "rejected";
		}

	}

	/**
	 * Worth another try: 408, 429, 5xx, no connection, no answer in time.
	 *
	 * @param reason such as {@code status_503}, {@code timeout}, {@code connection}
	 * @param retryAfter the endpoint's {@code Retry-After} header as sent, or
	 * {@code null}; read by {@link RetrySchedule}
	 * @param unreachable whether the endpoint did not answer at all: its other calls in
	 * the batch are postponed rather than tried
	 */
	record Failed(String reason, @Nullable String retryAfter, boolean unreachable) implements CallOutcome {

		@Override
		public String name() {
			return "failed";
		}

	}

}
