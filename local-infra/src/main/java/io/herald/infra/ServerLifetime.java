package io.herald.infra;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * The end of a local server's life, the same for a broker and a {@code redis-server}:
 * once closed, it is stopped, its temporary directory is deleted, the shutdown hook that
 * would have closed it at the JVM's exit is removed, and it cannot be started again.
 *
 * <p>
 * Not thread-safe: its owner calls it under the owner's own lock.
 */
final class ServerLifetime {

	private final String description;

	private final @Nullable Path temporaryDirectory;

	private final @Nullable Thread exitHook;

	private boolean closed;

	/**
	 * Describes the life of a server that is not closed yet.
	 * @param description names the server in messages, such as
	 * {@code redis-server on port 6379}
	 * @param temporaryDirectory the directory to delete once the server is closed, or
	 * {@code null} if its data outlives it
	 * @param exitHook the hook ({@link JvmExit#register}) that closes the server when the
	 * JVM exits, or {@code null} if its owner closes it
	 */
	ServerLifetime(String description, @Nullable Path temporaryDirectory, @Nullable Thread exitHook) {
		this.description = description;
		this.temporaryDirectory = temporaryDirectory;
		this.exitHook = exitHook;
	}

	/**
	 * Checks that the server may start.
	 * @throws IllegalStateException if it was closed
	 */
	void checkNotClosed() {
		if (this.closed) {
			throw new IllegalStateException(this.description + " is closed and cannot be started again");
		}
	}

	/**
	 * Closes the server the first time it is called: stops it, then deletes its temporary
	 * directory and removes its exit hook. Later calls do nothing.
	 * @param stop stops the server, keeping its data
	 */
	void close(Runnable stop) {
		if (this.closed) {
			return;
		}
		stop.run();
		this.closed = true;
		if (this.temporaryDirectory != null) {
			TemporaryDirectories.delete(this.temporaryDirectory);
		}
		JvmExit.unregister(this.exitHook);
	}

}
