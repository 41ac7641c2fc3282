package io.herald.systemtests;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack of the hostile-input suites: ingestion, routing and the gateway with two
 * tenants, one per test class, started before its first test and stopped after its last;
 * every service must still be ready after each test.
 */
abstract class TwoTenantStackTests {

	@TempDir
	static Path data;

	static HostileStack stack;

	@BeforeAll
	static void startStack() {
		stack = HostileStack.start(data, "ingestion", "routing", "gateway");
	}

	@AfterAll
	static void stopStack() {
		if (stack != null) {
			stack.close();
		}
	}

	@AfterEach
	void everyServiceStaysReady() {
		stack.assertReady();
	}

}
