package io.herald.loaddriver;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A scenario that stopped before measuring, and why: users that did not connect,
 * subscriptions that failed.
 *
 * @param scenario the scenario
 * @param reason one sentence
 * @param errors the first few errors behind it
 */
record NotMeasured(String scenario, String reason, List<String> errors) implements Report {

	@Override
	public String table() {
		StringBuilder table = new StringBuilder(this.scenario + ": " + this.reason + "; not measuring\n");
		this.errors.forEach((error) -> table.append("  ").append(error).append('\n'));
		return table.toString();
	}

	@Override
	public String json() {
		return "{\"scenario\": " + Json.string(this.scenario) + ", \"notMeasured\": " + Json.string(this.reason)
				+ ", \"errors\": [" + this.errors.stream().map(Json::string).collect(Collectors.joining(", ")) + "]}\n";
	}

	@Override
	public boolean complete() {
		return false;
	}

}
