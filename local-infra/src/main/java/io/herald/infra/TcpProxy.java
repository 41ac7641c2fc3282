package io.herald.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP endpoint on {@code 127.0.0.1} that forwards every connection to a target port,
 * which can be changed: what a managed Redis's primary endpoint (a DNS name or a virtual
 * IP) does when it fails over to a replica. {@link #retarget(int)} points new connections
 * at the new primary and closes every open one, so that clients reconnect, as they must
 * after a failover.
 *
 * <p>
 * One virtual thread per direction of each connection; for tests and the local stack, not
 * for throughput.
 */
public final class TcpProxy implements AutoCloseable {

	private static final int BUFFER_BYTES = 64 * 1024;

	private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);

	private final ServerSocket server;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicLong requests = new AtomicLong();

	private volatile int target;

	private volatile boolean closed;

	/**
	 * Starts listening on {@code port} and forwarding to {@code target}.
	 * @param port the port to listen on, 0 for a free one
	 * @param target the port connections are forwarded to
	 * @throws IllegalStateException if the port cannot be bound
	 */
	public TcpProxy(int port, int target) {
		this.target = target;
		try {
			this.server = new ServerSocket();
			this.server.setReuseAddress(true);
			this.server.bind(new InetSocketAddress(InetAddress.getByName(FreePorts.LOOPBACK), port));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not listen on 127.0.0.1:" + port + ": " + ex.getMessage(), ex);
		}
		Thread.ofVirtual().name("tcp-proxy-" + port()).start(this::accept);
	}

	/** The port it listens on. */
	public int port() {
		return this.server.getLocalPort();
	}

	/** The port connections are forwarded to. */
	public int target() {
		return this.target;
	}

	/**
	 * How many times bytes a client sent were forwarded, over every connection: one per
	 * round trip of a client that waits for each answer, one per flush of a pipeline (on
	 * the loopback interface a small write arrives in one read).
	 */
	public long requests() {
		return this.requests.get();
	}

	/** Forwards new connections to {@code target} and closes every open one. */
	public void retarget(int target) {
		this.target = target;
		int dropped = closeOpen();
		log.info("Proxy on 127.0.0.1:{} now forwards to port {} ({} connections closed)", port(), target, dropped);
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		closeOpen();
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				if (!this.closed) {
					log.warn("Proxy on 127.0.0.1:{} stopped accepting: {}", port(), ex.toString());
				}
				return;
			}
			Thread.ofVirtual().start(() -> connect(client));
		}
	}

	private void connect(Socket client) {
		Socket upstream = new Socket();
		try {
			upstream.connect(new InetSocketAddress(FreePorts.LOOPBACK, this.target));
		}
		catch (IOException ex) {
			closeQuietly(client);
			closeQuietly(upstream);
			return;
		}
		this.open.add(client);
		this.open.add(upstream);
		if (this.closed) {
			closeOpen();
			return;
		}
		Thread.ofVirtual().start(() -> pump(client, upstream, this.requests));
		pump(upstream, client, new AtomicLong());
	}

	/** Copies one direction until either side ends, then closes both. */
	private void pump(Socket from, Socket to, AtomicLong reads) {
		byte[] buffer = new byte[BUFFER_BYTES];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				reads.incrementAndGet();
				out.write(buffer, 0, read);
			}
		}
		catch (IOException ex) {
			// One side closed: close the other.
		}
		finally {
			this.open.remove(from);
			this.open.remove(to);
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private int closeOpen() {
		int count = 0;
		for (Socket socket : Set.copyOf(this.open)) {
			this.open.remove(socket);
			closeQuietly(socket);
			count++;
		}
		return count / 2;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Nothing more to do.
		}
	}

}
