package io.herald.gateway;

import io.herald.infra.architecture.ServiceArchitecture;
import org.junit.jupiter.api.Test;

/**
 * The service's packages depend on each other one way, and the wiring and the test
 * infrastructure stay where they belong ({@link ServiceArchitecture}).
 */
class ArchitectureTests {

	@Test
	void packagesFollowTheServiceRules() {
		ServiceArchitecture.check("io.herald.gateway");
	}

}
