package io.herald.infra;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a service's log output as a test captured it. The embedded broker runs in the
 * test's own JVM and logs to the same output: its controller reports every partition it
 * creates at ERROR ({@code state.change.logger}), which says nothing about the service
 * under test, so {@link #errors(CharSequence)} leaves the infrastructure's own loggers
 * out.
 */
public final class LogLines {

	private static final Pattern ERROR_LINE = Pattern.compile("^\\S+\\s+ERROR\\s.*$", Pattern.MULTILINE);

	/**
	 * Loggers that speak of the test's infrastructure, not of the service: the broker
	 * itself (Scala {@code kafka.*}, abbreviated {@code k.*}), and Netty's complaint that
	 * a Redis client of a test context being closed meanwhile has shut its event loop.
	 */
	private static final Pattern INFRASTRUCTURE_LOGGER = Pattern.compile(
			"\\s(state\\.change\\.logger|kafka\\.[\\w.$]+|k\\.[\\w.$]+|i\\.n\\.u\\.c\\.D\\.rejectedExecution|io\\.netty\\.util\\.concurrent\\.DefaultPromise\\.rejectedExecution)\\s+:");

	private LogLines() {
	}

	/**
	 * The ERROR lines of the output, but for those of the test infrastructure's own
	 * loggers.
	 */
	public static List<String> errors(CharSequence output) {
		return ERROR_LINE.matcher(output)
			.results()
			.map((match) -> match.group())
			.filter((line) -> !INFRASTRUCTURE_LOGGER.matcher(line).find())
			.toList();
	}

}
