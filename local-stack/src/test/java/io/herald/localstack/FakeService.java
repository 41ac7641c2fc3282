package io.herald.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for a Herald service in tests: a JDK-only HTTP server on {@code SERVER_PORT}
 * with an endpoint echoing the environment the local stack passed and one that makes it
 * crash, and one on {@code MANAGEMENT_SERVER_PORT} with a readiness probe.
 */
public final class FakeService {

	private static final List<String> ECHOED = List.of("HERALD_KAFKA_BOOTSTRAP", "HERALD_REDIS_HOST",
			"HERALD_REDIS_PORT", "SERVER_PORT", "MANAGEMENT_SERVER_PORT", "HERALD_APIKEYS_0_TENANT",
			"HERALD_APIKEYS_0_NAME", "HERALD_APIKEYS_0_SHA256", "HERALD_DEMO_JWT_SECRET",
			"HERALD_GATEWAY_JWT_TENANTS_0_TENANT", "HERALD_GATEWAY_JWT_TENANTS_0_SECRET");

	private FakeService() {
	}

	public static void main(String[] args) throws IOException {
		int port = Integer.parseInt(System.getenv("SERVER_PORT"));
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		server.createContext("/env", (exchange) -> {
			StringBuilder body = new StringBuilder();
			ECHOED.forEach((name) -> body.append(name).append('=').append(System.getenv(name)).append('\n'));
			respond(exchange, body.toString());
		});
		server.createContext("/crash", (exchange) -> {
			respond(exchange, "bye");
			Runtime.getRuntime().halt(3);
		});
		HttpServer management = HttpServer
			.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("MANAGEMENT_SERVER_PORT"))), 0);
		management.createContext("/actuator/health/readiness", (exchange) -> respond(exchange, "{\"status\":\"UP\"}"));
		server.start();
		management.start();
		System.out.println("fake service listening on " + port);
	}

	private static void respond(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
