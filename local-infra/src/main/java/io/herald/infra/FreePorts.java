package io.herald.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds TCP ports that are free on the loopback interface.
 *
 * <p>
 * A port is free when this method returns; another process can still take it before the
 * caller binds it. Ports come from below the operating systems' ephemeral ranges (Linux
 * 32768-60999, macOS and Windows 49152-65535), where nothing takes a port unasked: the
 * operating system picks ephemeral ports for outgoing connections and binds to port 0,
 * and with several stacks on one machine such a pick took a port found free before its
 * server bound it. Each process goes through the range from a place of its own and never
 * hands out a port twice, so two stacks of one process never get the same port, and two
 * processes seldom try the same.
 */
public final class FreePorts {

	/** The address every local server binds; a literal, so no name lookup is involved. */
	static final String LOOPBACK = "127.0.0.1";

	/** The lowest port handed out. */
	static final int LOWEST = 20_000;

	/** The highest port handed out: below every common ephemeral range. */
	static final int HIGHEST = 32_767;

	private static final int RANGE = HIGHEST - LOWEST + 1;

	/** How far into the range the next search starts. */
	private static final AtomicInteger NEXT = new AtomicInteger(
			(int) Math.floorMod(ProcessHandle.current().pid() * 7_919L + System.nanoTime(), (long) RANGE));

	private FreePorts() {
	}

	/**
	 * Returns a port that is free on {@code 127.0.0.1}.
	 * @return a free port
	 */
	public static int find() {
		return find(1).get(0);
	}

	/**
	 * Returns distinct ports that are free on {@code 127.0.0.1}, all held open together
	 * while they are chosen so that none is returned twice.
	 * @param count how many ports
	 * @return {@code count} distinct free ports
	 */
	public static List<Integer> find(int count) {
		if (count < 1) {
			throw new IllegalArgumentException("count must be at least 1, but was " + count);
		}
		List<ServerSocket> sockets = new ArrayList<>(count);
		try {
			List<Integer> ports = new ArrayList<>(count);
			for (int tried = 0; ports.size() < count; tried++) {
				if (tried == RANGE) {
					throw new UncheckedIOException(new IOException("Could not find " + count
							+ " free local ports between " + LOWEST + " and " + HIGHEST + ": every one is in use"));
				}
				int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), RANGE);
				try {
					sockets.add(bind(port));
					ports.add(port);
				}
				catch (IOException ex) {
					// In use: the next one.
				}
			}
			return List.copyOf(ports);
		}
		finally {
			sockets.forEach(FreePorts::closeQuietly);
		}
	}

	/**
	 * Tells whether a port can be bound on {@code 127.0.0.1} right now.
	 * @param port the port to try
	 * @return {@code true} if nothing listens on it
	 */
	public static boolean isFree(int port) {
		try (ServerSocket socket = bind(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static int findOtherThan(int port) {
		return findOtherThan(1, port).get(0);
	}

	/**
	 * Returns distinct ports that are free on {@code 127.0.0.1}, none of them the given
	 * one: a port chosen before and not yet bound is free again, and the operating system
	 * may hand it out once more.
	 * @param count how many ports
	 * @param port the port none of them may be
	 * @return {@code count} distinct free ports other than {@code port}
	 */
	static List<Integer> findOtherThan(int count, int port) {
		return find(count + 1).stream().filter((found) -> found != port).limit(count).toList();
	}

	private static ServerSocket bind(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		try {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
			return socket;
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw ex;
		}
	}

	private static void closeQuietly(ServerSocket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Nothing useful to do: the port is released when the process exits.
		}
	}

	/**
	 * Checks a port setting, where {@code 0} means "a free one".
	 * @param port the port
	 * @param name the setting's name, for the message
	 * @return the port
	 * @throws IllegalArgumentException unless it is between 0 and 65535
	 */
	public static int checkPort(int port, String name) {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException(name + " must be between 0 and 65535, but was " + port);
		}
		return port;
	}

}
