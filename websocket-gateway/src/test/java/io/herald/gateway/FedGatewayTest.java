package io.herald.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A gateway on a random port with the in-app lane, on the shared broker, to feed it as
 * routing does. Where its Redis is, the subclass says.
 */
public abstract class FedGatewayTest {

	protected static InAppLane lane;

	@LocalServerPort
	protected int port;

	@BeforeAll
	static void openLane() {
		lane = new InAppLane();
	}

	@AfterAll
	static void closeLane() {
		lane.close();
	}

}
