package io.herald.localstack;

import java.util.List;

/**
 * A Herald service the local stack runs as a child process.
 *
 * @param name the short name used in the {@code READY} line and in {@code HERALD_SERVICES}
 * @param module the Maven module, whose {@code target/} directory holds the executable jar
 * @param portVariable the environment variable that overrides the HTTP port
 * @param port the HTTP port, which also serves {@code /actuator/health/readiness}
 */
record Service(String name, String module, String portVariable, int port) {

	/** Every service of the platform with its default port: the one list to extend when a service is added. */
	static final List<Service> ALL = List.of(
			new Service("ingestion", "ingestion-service", "HERALD_INGESTION_PORT", 8080),
			new Service("routing", "routing-service", "HERALD_ROUTING_PORT", 8081),
			new Service("gateway", "websocket-gateway", "HERALD_GATEWAY_PORT", 8082),
			new Service("delivery", "delivery-service", "HERALD_DELIVERY_PORT", 8083));

	Service withPort(int port) {
		return new Service(this.name, this.module, this.portVariable, port);
	}

	String url() {
		return "http://127.0.0.1:" + this.port;
	}

}
