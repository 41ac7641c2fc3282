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
