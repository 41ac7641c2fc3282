package io.herald.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Stacks that several test classes share, one at a time: the classes of one stack run one
 * after the other (their {@code @Order}, see {@code junit-platform.properties}), the
 * first of them starts it, the first class of another stack stops it, and JUnit's root
 * store stops the last one after the run's last test. Each stack has a data directory of
 * its own, deleted once it is stopped.
 */
final class SharedStacks {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedStacks.class);

	private SharedStacks() {
	}

	/**
	 * The stack called {@code name}, started with {@code start} (given its data
	 * directory) unless it runs already; another shared stack is stopped first.
	 */
	static <T extends AutoCloseable> T get(ExtensionContext context, String name, Class<T> type,
			Function<Path, T> start) {
		ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
		Running running = store.get(Running.class, Running.class);
		if (running != null && !running.name().equals(name)) {
			store.remove(Running.class);
			try {
				running.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			running = null;
		}
		if (running == null) {
			running = Running.start(name, start);
			store.put(Running.class, running);
		}
		return type.cast(running.stack());
	}

	/** A running stack and its data directory, deleted once the stack is stopped. */
	private record Running(String name, AutoCloseable stack, Path data) implements AutoCloseable {

		static Running start(String name, Function<Path, ? extends AutoCloseable> start) {
			Path data;
			try {
				data = Files.createTempDirectory("herald-" + name + "-stack-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return new Running(name, start.apply(data), data);
		}

		@Override
		public void close() throws IOException {
			try {
				this.stack.close();
			}
			catch (IOException | RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException("could not stop the " + this.name + " stack", ex);
			}
			finally {
				try (Stream<Path> paths = Files.walk(this.data)) {
					for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
						Files.deleteIfExists(path);
					}
				}
			}
		}

	}

}
