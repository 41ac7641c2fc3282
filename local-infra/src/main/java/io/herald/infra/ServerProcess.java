package io.herald.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child process of a local server ({@code redis-server}, a broker's JVM), which can
 * be started again after it ended.
 *
 * <p>
 * Contract:
 * <ul>
 * <li>{@link #start} starts the command bound to this JVM's life
 * ({@link BoundProcesses}), its output and errors appended to the output file, and
 * returns once the server's {@link Readiness} says it is ready. It fails with the tail of
 * that output if the process exits first or is not ready within the startup timeout; a
 * process that was not ready is killed (SIGKILL) before it fails, since it serves nothing
 * yet.</li>
 * <li>{@link #stop()} sends SIGTERM, so the server shuts down cleanly, and SIGKILL if it
 * has not exited within the stop timeout; {@link #kill()} sends SIGKILL at once, as a
 * crash would. Both return once the process is gone.</li>
 * </ul>
 *
 * <p>
 * Not thread-safe: its owner calls it under the owner's own lock.
 */
final class ServerProcess {

	/** Time between two readiness checks; also how soon an early exit is noticed. */
	private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

	/** Lines of the output that end a message saying why the server did not start. */
	static final int OUTPUT_TAIL_LINES = 20;

	private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);

	private final String name;

	private final String description;

	private final Path outputFile;

	private final Duration stopTimeout;

	private @Nullable Process process;

	/**
	 * Describes a server process that is not started yet.
	 * @param name names the thread that stays the child's parent
	 * @param description names the server in messages, such as
	 * {@code redis-server on port 6379}
	 * @param outputFile the file the process's output is appended to
	 * @param stopTimeout how long a terminated process may take to exit before it is
	 * killed, and a killed one to be gone
	 */
	ServerProcess(String name, String description, Path outputFile, Duration stopTimeout) {
		this.name = name;
		this.description = description;
		this.outputFile = outputFile;
		this.stopTimeout = stopTimeout;
	}

	/**
	 * Checks a startup timeout setting.
	 * @param startupTimeout the setting
	 * @return the setting
	 * @throws IllegalArgumentException unless it is positive
	 */
	static Duration checkStartupTimeout(Duration startupTimeout) {
		if (startupTimeout.isNegative() || startupTimeout.isZero()) {
			throw new IllegalArgumentException("startupTimeout must be positive, but was " + startupTimeout);
		}
		return startupTimeout;
	}

	/**
	 * Starts the command and waits until the server is ready. The caller checks first
	 * that it does not run.
	 * @param command the command, with whatever working directory it needs; its output is
	 * redirected here
	 * @param startupTimeout how long the server may take to be ready
	 * @param readiness tells whether the server is ready
	 * @return the running process
	 * @throws IOException if the command cannot be started
	 * @throws IllegalStateException if the process exited before it was ready or was not
	 * ready in time
	 */
	Process start(ProcessBuilder command, Duration startupTimeout, Readiness readiness) throws IOException {
		Path outputDirectory = this.outputFile.toAbsolutePath().getParent();
		if (outputDirectory != null) {
			Files.createDirectories(outputDirectory);
		}
		Process process = BoundProcesses.start(this.name, command.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.outputFile.toFile())));
		this.process = process;
		try {
			awaitReady(process, startupTimeout, readiness);
		}
		catch (RuntimeException ex) {
			this.process = null;
			process.destroyForcibly();
			BoundProcesses.waitForExit(process, this.stopTimeout);
			throw ex;
		}
		return process;
	}

	/**
	 * Shuts the server down cleanly (SIGTERM, then SIGKILL after the stop timeout) and
	 * waits until its process is gone. Does nothing if it was not started.
	 */
	void stop() {
		Process process = this.process;
		if (process == null) {
			return;
		}
		this.process = null;
		if (!BoundProcesses.terminate(process, this.stopTimeout)) {
			log.warn("{} (pid {}) did not stop within {} s and was killed", this.description, process.pid(),
					this.stopTimeout.toSeconds());
		}
		log.info("{} stopped", this.description);
	}

	/**
	 * Kills the server at once with SIGKILL and waits until its process is gone.
	 * @return the pid of the killed process
	 * @throws IllegalStateException if the server does not run or outlives the kill
	 */
	long kill() {
		Process process = this.process;
		if (process == null || !process.isAlive()) {
			throw new IllegalStateException(this.description + " is not running");
		}
		this.process = null;
		long pid = BoundProcesses.kill(process, this.stopTimeout);
		log.info("{} killed (pid {}, SIGKILL)", this.description, pid);
		return pid;
	}

	/**
	 * Returns the pid of the running process.
	 * @return the pid, or {@code -1} if the server does not run
	 */
	long pid() {
		Process process = this.process;
		return (process != null && process.isAlive()) ? process.pid() : -1;
	}

	/**
	 * Tells whether the process runs.
	 * @return {@code true} between a successful {@link #start} and the next
	 * {@link #stop()} or {@link #kill()}, unless the process died in between
	 */
	boolean isRunning() {
		Process process = this.process;
		return process != null && process.isAlive();
	}

	private void awaitReady(Process process, Duration startupTimeout, Readiness readiness) {
		long deadline = System.nanoTime() + startupTimeout.toNanos();
		String notReadyBecause = "not asked yet";
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException(this.description + " exited with code " + process.exitValue()
						+ " before it was ready" + BoundProcesses.outputTail(this.outputFile, OUTPUT_TAIL_LINES));
			}
			String problem = readiness.notReadyBecause(process);
			if (problem == null) {
				return;
			}
			notReadyBecause = problem;
			// Doubles as the pause between checks; an exit is reported at the top of the
			// loop.
			BoundProcesses.waitForExit(process, POLL_INTERVAL);
		}
		throw new IllegalStateException(this.description + " was not ready within " + startupTimeout.toSeconds()
				+ " s (" + notReadyBecause + ")" + BoundProcesses.outputTail(this.outputFile, OUTPUT_TAIL_LINES));
	}

	/**
	 * Tells whether a server that was just started is ready, asked again and again until
	 * it is.
	 */
	@FunctionalInterface
	interface Readiness {

		/**
		 * Asks the server whether it is ready.
		 * @param process the server's running process
		 * @return {@code null} once it is ready, else why it is not yet, for the message
		 * if it never gets ready
		 */
		@Nullable String notReadyBecause(Process process);

	}

}
