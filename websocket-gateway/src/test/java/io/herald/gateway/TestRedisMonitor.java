package io.herald.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * Every command a Redis server runs, as {@code MONITOR} shows them, while it is open: the
 * commands of clients with the client's address, those that scripts run with
 * {@code [<db> lua]}. Shows how many round trips a read takes, and which commands a
 * script ran rather than a client.
 */
public final class TestRedisMonitor implements AutoCloseable {

	private final Socket socket;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private TestRedisMonitor(Socket socket) {
		this.socket = socket;
	}

	/**
	 * Starts monitoring the server at {@code host:port}; returns once the server
	 * monitors.
	 */
	public static TestRedisMonitor start(String host, int port) {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(host, port), 10_000);
			OutputStream out = socket.getOutputStream();
			out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			String ok = in.readLine();
			if (!"+OK".equals(ok)) {
				throw new IllegalStateException("MONITOR answered " + ok);
			}
			TestRedisMonitor monitor = new TestRedisMonitor(socket);
			Thread.ofVirtual().name("redis-monitor-" + port).start(() -> monitor.read(in));
			return monitor;
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new UncheckedIOException("Could not monitor Redis on " + host + ":" + port, ex);
		}
	}

	/**
	 * The commands that named {@code text} (a key, say) and ran before {@code sync}
	 * returned: sync runs a command of its own after whatever the caller did, on any
	 * connection, and this waits until the monitor has shown it, so every earlier command
	 * is shown too.
	 */
	public List<String> commandsNaming(String text, Consumer<String> sync) {
		String marker = "herald:monitor-marker:" + UUID.randomUUID();
		sync.accept(marker);
		await().until(() -> this.lines.stream().anyMatch((line) -> line.contains(marker)));
		return this.lines.stream().filter((line) -> line.contains(text)).toList();
	}

	/** Whether a shown command was run by a script rather than sent by a client. */
	public static boolean ranByScript(String line) {
		return line.contains(" lua] ");
	}

	private void read(BufferedReader in) {
		try {
			String line;
			while ((line = in.readLine()) != null) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// Closed.
		}
	}

	@Override
	public void close() {
		closeQuietly(this.socket);
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Nothing to do.
		}
	}

}
