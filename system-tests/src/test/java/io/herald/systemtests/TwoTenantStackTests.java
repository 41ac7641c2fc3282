package io.herald.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stack of the suites that need ingestion, routing and the gateway (the hostile-input
 * suites, the clients, the browser inbox, the user's preferences): the demo tenant and a
 * second one, started before the first test of the first class that extends this and
 * shared by every such class of the run, then stopped after the run's last test. Each
 * class reads only the service logs written since it began, and every service must still
 * be ready after each test. The classes' data does not meet: each has users, topics and
 * events of its own.
 */
@ExtendWith(TwoTenantStackTests.SharedStack.class)
abstract class TwoTenantStackTests {

	/**
	 * The {@link Order} of every class that extends this: after the classes without one,
	 * so that the shared stack does not idle beside their stacks
	 * ({@code junit-platform.properties} orders classes by it).
	 */
	static final int LAST = Order.DEFAULT + 1;

	static HostileStack stack;

	@AfterEach
	void everyServiceStaysReady() {
		stack.assertReady();
	}

	/**
	 * Starts the stack once per run, kept in the run's root store, which closes it after
	 * the last test; marks the logs for each class.
	 */
	static final class SharedStack implements BeforeAllCallback {

		private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
			.create(SharedStack.class);

		@Override
		public void beforeAll(ExtensionContext context) {
			stack = context.getRoot()
				.getStore(NAMESPACE)
				.computeIfAbsent(Started.class, (key) -> Started.start(), Started.class)
				.stack();
			stack.markLogs();
		}

		/** The stack and its data directory, deleted once the stack is stopped. */
		private record Started(HostileStack stack, Path data) implements AutoCloseable {

			static Started start() {
				try {
					Path data = Files.createTempDirectory("herald-two-tenant-stack-");
					return new Started(HostileStack.start(data, "ingestion", "routing", "gateway"), data);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}

			@Override
			public void close() throws IOException {
				this.stack.close();
				try (Stream<Path> paths = Files.walk(this.data)) {
					for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
						Files.deleteIfExists(path);
					}
				}
			}

		}

	}

}
