package io.herald.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on a free loopback port that answers every request with what the
 * test's script returns for it, and records what it received.
 */
final class LocalHttpServer implements AutoCloseable {

	/** What the server received. */
	record Received(String method, String rawPath, Map<String, List<String>> headers, String body) {

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> entry.getValue().getFirst())
				.findFirst()
				.orElse(null);
		}

	}

	/** An answer: a status, headers and a body; {@code delayMillis} before it is sent. */
	record Reply(int status, Map<String, String> headers, String body, long delayMillis) {

		static Reply json(int status, String body) {
			return new Reply(status, Map.of("Content-Type", "application/json"), body, 0);
		}

		static Reply problem(int status, String code, Map<String, String> headers) {
			Map<String, String> all = new java.util.HashMap<>(headers);
			all.put("Content-Type", "application/problem+json");
			return new Reply(status, all, """
					{"type": "urn:herald:problem:%s", "title": "%s", "status": %d, "code": "%s"}""".formatted(code,
					code, status, code), 0);
		}

	}

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	LocalHttpServer(Function<Received, Reply> script) {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", (exchange) -> answer(exchange, script));
		this.server.start();
	}

	private void answer(HttpExchange exchange, Function<Received, Reply> script) throws IOException {
		Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
				Map.copyOf(exchange.getRequestHeaders()),
				new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
		this.received.add(request);
		Reply reply = script.apply(request);
		try {
			Thread.sleep(reply.delayMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
		byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
		try {
			exchange.sendResponseHeaders(reply.status(), (body.length == 0) ? -1 : body.length);
			if (body.length > 0) {
				exchange.getResponseBody().write(body);
			}
		}
		catch (IOException ex) {
			// The client gave up waiting (a timeout test); nothing to answer.
		}
		exchange.close();
	}

	URI url() {
		return URI
			.create("http://" + this.server.getAddress().getHostString() + ":" + this.server.getAddress().getPort());
	}

	List<Received> received() {
		return this.received;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
