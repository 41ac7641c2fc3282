package io.herald.systemtests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stack of the suites that need ingestion, routing and the gateway (the hostile-input
 * suites, the clients, the browser inbox, the user's preferences): the demo tenant and a
 * second one, one stack for every class that extends this ({@link SharedStacks}). Each
 * class reads only the service logs written since it began, and every service must still
 * be ready after each test. The classes' data does not meet: each has users, topics and
 * events of its own.
 */
@ExtendWith(TwoTenantStackTests.SharedStack.class)
abstract class TwoTenantStackTests {

	/**
	 * The {@link Order} of every class that extends this: after the classes of other
	 * stacks ({@code junit-platform.properties} orders classes by it).
	 */
	static final int ORDER = EndToEndStackTests.ORDER + 1;

	static HostileStack stack;

	@AfterEach
	void everyServiceStaysReady() {
		stack.assertReady();
	}

	/** Gets the shared stack and marks the logs for each class. */
	static final class SharedStack implements BeforeAllCallback {

		@Override
		public void beforeAll(ExtensionContext context) {
			stack = SharedStacks.get(context, "two-tenant", HostileStack.class,
					(data) -> HostileStack.start(data, "ingestion", "routing", "gateway"));
			stack.markLogs();
		}

	}

}
