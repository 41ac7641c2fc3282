package io.herald.infra.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading requests and writing JSON answers, shared by the sandboxes.
 */
final class SandboxHttp {

	/** Serializes answers and parses JSON request bodies; thread-safe. */
	static final JsonMapper JSON = JsonMapper.builder().build();

	private SandboxHttp() {
	}

	static String body(HttpExchange exchange) throws IOException {
		return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
	}

	/**
	 * Sends {@code value} as JSON and closes the exchange.
	 * @param exchange the exchange to answer
	 * @param status the HTTP status
	 * @param value serialized with Jackson
	 * @param headers extra response headers
	 */
	static void sendJson(HttpExchange exchange, int status, Object value, Map<String, String> headers)
			throws IOException {
		byte[] bytes = JSON.writeValueAsBytes(value);
		exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
		headers.forEach(exchange.getResponseHeaders()::set);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	static void sendJson(HttpExchange exchange, int status, Object value) throws IOException {
		sendJson(exchange, status, value, Map.of());
	}

}
