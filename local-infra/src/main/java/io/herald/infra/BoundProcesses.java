package io.herald.infra;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
