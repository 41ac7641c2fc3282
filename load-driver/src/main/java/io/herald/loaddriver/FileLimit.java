package io.herald.loaddriver;

import org.jspecify.annotations.Nullable;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Checks, before a scenario opens its WebSockets, that this process may open that many
 * files: every connection holds one descriptor, and running out half-way shows up as a
 * confusing {@code Too many open files} in the middle of a run. The gateway holds the
 * other end of every connection under its own limit.
 */
final class FileLimit {

	/**
	 * Descriptors the driver needs besides its WebSockets: jars, selectors, HTTP
	 * connections to scrape and post.
	 */
	static final int RESERVE = 100;

	private FileLimit() {
	}

	/**
	 * @param connections the WebSockets the scenario opens
	 * @param httpConnections the HTTP connections it keeps besides
	 * @throws IllegalArgumentException saying how many fit when they do not
	 */
	static void check(int connections, int httpConnections) {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
			String shortfall = shortfall(connections, httpConnections + RESERVE, unix.getOpenFileDescriptorCount(),
					unix.getMaxFileDescriptorCount());
			if (shortfall != null) {
				throw new IllegalArgumentException(shortfall);
			}
		}
	}

	/**
	 * What is wrong when {@code connections} more files plus {@code reserve} do not fit
	 * under {@code max} with {@code open} already open, or {@code null} when they fit.
	 */
	static @Nullable String shortfall(long connections, long reserve, long open, long max) {
		long fit = max - open - reserve;
		if (connections <= fit) {
			return null;
		}
		return "--users " + connections + " needs " + connections + " open files for its WebSockets and about "
				+ reserve + " more for the driver, but this process may open " + max + " (ulimit -n) and has " + open
				+ " open already: at most " + Math.max(0, fit) + " users fit. Raise ulimit -n (the gateway needs as "
				+ "many, under its own limit) or split the users over several driver processes with different --run ids.";
	}

}
