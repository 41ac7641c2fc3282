package io.herald.loaddriver;

import org.jspecify.annotations.Nullable;

/** What a scenario measured, as a table for people and as JSON for tools. */
public interface Report {

	/** Lines of text, each ending with a line break. */
	String table();

	/** One JSON object. */
	String json();

	/**
	 * Whether the scenario measured what it set out to; a run that could not is a failure
	 * (exit code 1).
	 */
	default boolean complete() {
		return true;
	}

	/**
	 * What happened to the notifications the run followed, or {@code null} if it follows
	 * none.
	 */
	default @Nullable Accounting accounting() {
		return null;
	}

	/**
	 * How many notifications the receivers of one channel ({@code sms}, {@code email},
	 * ...) saw a second time; {@code 0} for a run that follows no such channel.
	 */
	default long duplicatedOn(String channel) {
		return 0;
	}

	/**
	 * What the stack's CPU time over the measured period is divided by: by default the
	 * notifications delivered, as {@link #accounting()} counts them.
	 */
	default Work work() {
		Accounting accounting = accounting();
		return new Work((accounting != null) ? accounting.delivered() : 0, "delivered notification");
	}

	/**
	 * What a run got done in its measured period.
	 *
	 * @param count how many
	 * @param unit what one of them is, in the singular ({@code delivered notification})
	 */
	record Work(long count, String unit) {
	}

}
