package io.herald.localstack;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's command line, the main class of its jar, which {@code ./platform}
 * runs: without arguments, the whole platform in the foreground until Ctrl-C, or until a
 * service dies (exit code 1); {@code tail [topic-regex]} prints the records of a running
 * stack's topics. Everything else is configured through environment variables
 * ({@link LocalStackSettings}). The chaos suite, {@code ./platform chaos}, has a jar of
 * its own (module {@code system-tests}).
 *
 * <p>
 * Exit codes: 0 after Ctrl-C, 1 when the start fails or a service dies, 2 for a setting
 * that is not valid.
 */
public final class LocalStackCommand {

	/** Not an exit code: the JVM is shutting down already. */
	private static final int STOPPED = -1;

	private static final Logger log = LoggerFactory.getLogger(LocalStackCommand.class);

	private LocalStackCommand() {
	}

	/**
	 * Runs the stack, or with {@code tail}, prints a running stack's records.
	 * @param args nothing, or {@code tail [topic-regex]}
	 */
	public static void main(String[] args) {
		Path home = Path.of(System.getProperty("herald.home", ""));
		if (args.length > 0 && args[0].equals("tail")) {
			LocalStackSettings settings = LocalStackSettings.fromEnvironment(System.getenv(), home, Path.of(""));
			TopicTail.run("127.0.0.1:" + settings.kafkaPort(),
					Pattern.compile((args.length > 1) ? args[1] : TopicTail.DEFAULT_TOPICS), System.out);
			return;
		}
		int exitCode = up(home);
		if (exitCode != STOPPED) {
			System.exit(exitCode);
		}
	}

	/**
	 * Runs the stack until a service dies.
	 * @return the exit code, or {@link #STOPPED} when Ctrl-C stopped the start: the JVM
	 * is already ending through the shutdown hook, and an exit now would wait for that
	 * hook forever
	 */
	private static int up(Path home) {
		LocalStack stack;
		try {
			stack = new LocalStack(LocalStackSettings.fromEnvironment(System.getenv(), home, Path.of("")), home);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("local-stack: " + ex.getMessage());
			return 2;
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stack.close();
			if (ManagementFactory.getRuntimeMXBean()
				.getInputArguments()
				.stream()
				.anyMatch((argument) -> argument.startsWith("-XX:AOTCacheOutput="))) {
				log.info("Writing the launcher's AOT cache before it exits (once per build, up to half a minute)");
			}
		}, "local-stack-shutdown"));
		try {
			stack.start();
		}
		catch (RuntimeException ex) {
			if (stack.isStopping()) {
				return STOPPED;
			}
			if (ex instanceof LocalStackException || ex instanceof IllegalStateException) {
				// Known causes (redis-server missing, port in use, service failing): one
				// line says it all.
				log.debug("Start-up failed", ex);
				System.err.println("local-stack: " + ex.getMessage());
			}
			else {
				log.error("Start-up failed", ex);
			}
			// The exit runs the shutdown hook, which stops whatever had started.
			return 1;
		}
		System.out.println(stack.readyLine());
		System.out.println(stack.hint());
		stack.warmUpInBackground();
		ServiceProcess died = stack.unexpectedExit().join();
		log.error("{} (pid {}) exited unexpectedly; see {}. Stopping the local stack.", died.service().module(),
				died.pid(), died.logFile());
		return 1;
	}

}
