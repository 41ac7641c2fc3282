package io.herald.loaddriver;

/** What a scenario measured, as a table for people and as JSON for tools. */
interface Report {

	/** Lines of text, each ending with a line break. */
	String table();

	/** One JSON object. */
	String json();

	/** Whether the scenario measured what it set out to; a run that could not is a failure (exit code 1). */
	default boolean complete() {
		return true;
	}

}
