package io.herald.localstack;

import java.util.List;

/**
 * A Herald service the local stack runs as a child process.
 *
 * @param name the short name used in the {@code READY} line and in
 * {@code HERALD_SERVICES}
 * @param module the Maven module, whose {@code target/} directory holds the executable
 * jar
 * @param portVariable the environment variable that overrides the HTTP port
 * @param port the HTTP port of the service's API
 * @param managementPortVariable the environment variable that overrides the management
 * port
 * @param managementPort the port of the actuator ({@code /actuator/health/readiness},
 * {@code /actuator/prometheus}, operator endpoints); the API port does not serve them
 */
public record Service(String name, String module, String portVariable, int port, String managementPortVariable,
		int managementPort) {

	/**
	 * Every service of the platform with its default ports: the one list to extend when a
	 * service is added.
	 */
	public static final List<Service> ALL = List.of(
			new Service("ingestion", "ingestion-service", "HERALD_INGESTION_PORT", 8080,
					"HERALD_INGESTION_MANAGEMENT_PORT", 9080),
			new Service("routing", "routing-service", "HERALD_ROUTING_PORT", 8081, "HERALD_ROUTING_MANAGEMENT_PORT",
					9081),
			new Service("gateway", "websocket-gateway", "HERALD_GATEWAY_PORT", 8082, "HERALD_GATEWAY_MANAGEMENT_PORT",
					9082),
			new Service("delivery", "delivery-service", "HERALD_DELIVERY_PORT", 8083, "HERALD_DELIVERY_MANAGEMENT_PORT",
					9083));

	/** This service on other ports. */
	Service withPorts(int port, int managementPort) {
		return new Service(this.name, this.module, this.portVariable, port, this.managementPortVariable,
				managementPort);
	}

	/** The base URL of the service's API. */
	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/** The base URL of the service's management port, where {@code /actuator/...} is. */
	public String managementUrl() {
		return "http://127.0.0.1:" + this.managementPort;
	}

}
