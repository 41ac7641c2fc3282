package io.herald.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The page that shows what the local provider sandboxes received: {@code GET /} is a page
 * that refreshes itself, {@code GET /messages.json} the same as JSON, one list per
 * sandbox, oldest first. Bound to {@code 127.0.0.1} only.
 */
final class SandboxPage implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final Map<String, Supplier<List<?>>> sandboxes;

	private final byte[] page;

	/**
	 * Starts the page.
	 * @param port the port on {@code 127.0.0.1}, {@code 0} for a free one
	 * @param sandboxes what each sandbox received, by the name the page shows
	 */
	SandboxPage(int port, Map<String, Supplier<List<?>>> sandboxes) {
		this.sandboxes = new LinkedHashMap<>(sandboxes);
		this.page = resource("sandbox/index.html");
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not bind 127.0.0.1:" + port + ": " + ex.getMessage(), ex);
		}
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	String url() {
		return "http://127.0.0.1:" + port();
	}

	/** What every sandbox received so far, by sandbox name. */
	Map<String, List<?>> messages() {
		Map<String, List<?>> messages = new LinkedHashMap<>();
		this.sandboxes.forEach((name, received) -> messages.put(name, received.get()));
		return messages;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			if (!exchange.getRequestMethod().equals("GET")) {
				send(exchange, 405, "text/plain; charset=UTF-8", "Only GET".getBytes(StandardCharsets.UTF_8));
			}
			else if (path.equals("/") || path.equals("/index.html")) {
				send(exchange, 200, "text/html; charset=UTF-8", this.page);
			}
			else if (path.equals("/messages.json")) {
				send(exchange, 200, "application/json", JSON.writeValueAsBytes(messages()));
			}
			else {
				send(exchange, 404, "text/plain; charset=UTF-8", "Not found".getBytes(StandardCharsets.UTF_8));
			}
		}
	}

	private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", type);
		exchange.getResponseHeaders().set("Cache-Control", "no-store");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static byte[] resource(String name) {
		try (InputStream in = SandboxPage.class.getClassLoader().getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("missing resource " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
