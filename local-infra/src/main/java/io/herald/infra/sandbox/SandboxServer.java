package io.herald.infra.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.herald.infra.FreePorts;

/**
 * A JDK {@link HttpServer} on {@code 127.0.0.1}, one virtual thread per exchange, with a
 * single handler for every path. Stopping it releases the port at once.
 */
final class SandboxServer implements AutoCloseable {

	private static final String LOOPBACK = "127.0.0.1";

	private final HttpServer server;

	private final ExecutorService executor;

	private SandboxServer(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Binds and starts a server.
	 * @param port the port, or {@code 0} for a free one
	 * @param handler answers every request
	 * @return the running server
	 * @throws UncheckedIOException if the port cannot be bound
	 */
	static SandboxServer start(int port, HttpHandler handler) {
		FreePorts.checkPort(port, "port");
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, port), 0);
			ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
			server.setExecutor(executor);
			server.createContext("/", handler);
			server.start();
			return new SandboxServer(server, executor);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not bind " + LOOPBACK + ":" + port + ": " + ex.getMessage(), ex);
		}
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	String baseUrl() {
		return "http://" + LOOPBACK + ":" + port();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
