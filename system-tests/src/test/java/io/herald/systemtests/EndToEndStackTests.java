package io.herald.systemtests;

import io.herald.localstack.LocalStack;
import io.herald.localstack.Service;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stack of the end-to-end suites, as {@code ./platform up} starts it without the
 * gateway: ingestion, routing, delivery and the provider sandboxes, one stack for every
 * class that extends this ({@link SharedStacks}). A class that crashes and restarts a
 * service of it waits until the service is back before it ends. The classes' data does
 * not meet: each has users and events of its own, and counts sandbox messages by address.
 */
@ExtendWith(EndToEndStackTests.SharedStack.class)
abstract class EndToEndStackTests {

	/**
	 * The {@link Order} of every class that extends this: after the classes without one
	 * ({@code junit-platform.properties} orders classes by it).
	 */
	static final int ORDER = Order.DEFAULT + 1;

	static LocalStack stack;

	static Service service(String name) {
		return stack.settings().service(name);
	}

	/** Gets the shared stack. */
	static final class SharedStack implements BeforeAllCallback {

		@Override
		public void beforeAll(ExtensionContext context) {
			stack = SharedStacks.get(context, "end-to-end", LocalStack.class, (data) -> {
				LocalStack started = TestStacks.stack(TestStacks.onFreePorts(data, "ingestion", "routing", "delivery"));
				try {
					started.start();
					return started;
				}
				catch (RuntimeException ex) {
					started.close();
					throw ex;
				}
			});
		}

	}

}
