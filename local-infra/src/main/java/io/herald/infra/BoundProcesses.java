package io.herald.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Starts child processes that end with this JVM, however it ends: a {@code kill -9}, a
 * closed terminal or an out-of-memory kill of the launcher leaves no service or
 * redis-server running on its ports.
 *
 * <p>
 * On Linux the child is started through util-linux's {@code setpriv --pdeathsig TERM},
 * which asks the kernel to send it {@code SIGTERM} when its parent goes away, and then
 * runs the program in the same process (same pid). A Java service stops gracefully on
 * that signal, redis-server saves its data. The kernel takes the thread that started the
 * child for its parent, so every child is started from a thread of its own that lives
 * exactly as long as the child does; a pooled thread that ended would take the child with
 * it.
 *
 * <p>
 * Where {@code setpriv} is missing (macOS), children start as plain processes and only a
 * regular exit of this JVM stops them.
 */
public final class BoundProcesses {

	private static final SystemExecutable SETPRIV = new SystemExecutable("setpriv", "HERALD_SETPRIV",
			"part of util-linux");

	private static final @Nullable Path setpriv = locateSetpriv();

	private BoundProcesses() {
	}

	/**
	 * Starts the builder's command bound to this JVM's life.
	 * @param name names the thread that stays the child's parent
	 * @return the started process, whose pid is the program's own
	 * @throws IOException if the program cannot be started
	 */
	public static Process start(String name, ProcessBuilder builder) throws IOException {
		if (setpriv == null) {
			return builder.start();
		}
		builder.command(bound(setpriv, builder.command()));
		CompletableFuture<Process> started = new CompletableFuture<>();
		Thread.ofPlatform().daemon().name("parent-of-" + name).start(() -> {
			Process process;
			try {
				process = builder.start();
			}
			catch (IOException | RuntimeException ex) {
				started.completeExceptionally(ex);
				return;
			}
			started.complete(process);
			awaitExit(process);
		});
		try {
			return started.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw ex;
		}
	}

	/**
	 * Waits for a process to exit.
	 * @param process the process
	 * @param timeout how long to wait at most
	 * @return whether it exited within the timeout
	 * @throws IllegalStateException if the waiting thread was interrupted, whose
	 * interrupt flag is then set again
	 */
	public static boolean waitForExit(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for process " + process.pid() + " to exit", ex);
		}
	}

	/**
	 * Kills a process at once with SIGKILL, as a crash of its host would end it, and
	 * waits until it is gone.
	 * @param process the process
	 * @param timeout how long it may take to be gone
	 * @return its pid
	 * @throws IllegalStateException if it still runs after the timeout
	 */
	public static long kill(Process process, Duration timeout) {
		long pid = process.pid();
		// On Unix, destroyForcibly() is SIGKILL.
		process.destroyForcibly();
		if (!waitForExit(process, timeout)) {
			throw new IllegalStateException(
					"Process " + pid + " still runs " + timeout.toSeconds() + " s after SIGKILL");
		}
		return pid;
	}

	/**
	 * Asks a process to stop (SIGTERM) and kills it (SIGKILL) if it has not exited within
	 * the grace period; returns once it is gone or the grace period has passed twice.
	 * @param process the process
	 * @param grace how long it may take to stop by itself
	 * @return whether it stopped by itself within the grace period
	 */
	public static boolean terminate(Process process, Duration grace) {
		process.destroy();
		if (waitForExit(process, grace)) {
			return true;
		}
		process.destroyForcibly();
		waitForExit(process, grace);
		return false;
	}

	/**
	 * The last lines of a child's output file, to end an error message with.
	 * @param file the file the child writes its output to
	 * @param lines how many lines at the most
	 * @return {@code "; last lines of <file>:"} and the lines, each on a line of its own
	 * and indented; empty if the file is empty or cannot be read
	 */
	public static String outputTail(Path file, int lines) {
		try {
			List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
			List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
			return tail.isEmpty() ? "" : "; last lines of " + file + ":\n  " + String.join("\n  ", tail);
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** Whether children are bound to this JVM here ({@code setpriv} was found). */
	public static boolean bindsChildren() {
		return setpriv != null;
	}

	static List<String> bound(Path setpriv, List<String> command) {
		List<String> result = new ArrayList<>(command.size() + 4);
		result.addAll(List.of(setpriv.toString(), "--pdeathsig", "TERM", "--"));
		result.addAll(command);
		return result;
	}

	private static void awaitExit(Process process) {
		while (true) {
			try {
				process.waitFor();
				return;
			}
			catch (InterruptedException ex) {
				// Only the child's exit may end this thread.
			}
		}
	}

	private static @Nullable Path locateSetpriv() {
		if (!System.getProperty("os.name", "").startsWith("Linux")) {
			return null;
		}
		try {
			String path = System.getenv("PATH");
			return SETPRIV.locate(null, (path != null) ? Map.of("PATH", path) : Map.of());
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

}
