package io.herald.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} running as a child process of this JVM, bound to
 * {@code 127.0.0.1} only.
 *
 * <p>
 * Two modes:
 * <ul>
 * <li><em>ephemeral</em> (the default): no persistence at all
 * ({@code --save "" --appendonly no}) in a temporary directory deleted by
 * {@link #close()}; for tests.</li>
 * <li><em>persistent</em> ({@link Builder#dataDirectory(Path)}): an append-only file in
 * the given directory ({@code appendonly yes}, {@code appendfsync}
 * {@value #APPENDFSYNC}), so data survives {@link #stop()}, {@link #kill()} and restarts
 * of the JVM; for the local stack.</li>
 * </ul>
 *
 * <p>
 * What the persistent mode keeps: Redis writes every command to the append-only file
 * before it answers, and calls {@code fsync} on it once a second. A killed process
 * (SIGKILL, a crash) loses nothing it acknowledged, because the written file stays in the
 * operating system's page cache; only a crash or power loss of the host can lose the
 * writes of the last second or so, those not yet synced to disk.
 *
 * <p>
 * Contract:
 * <ul>
 * <li>{@link #start()} returns once the server answers {@code PING}; it fails with a
 * one-line message if the binary cannot be found, and with the tail of the server's log
 * if it exits or does not answer in time.</li>
 * <li>{@link #stop()} terminates the server (SIGTERM, so a persistent server flushes its
 * append-only file); {@link #kill()} kills it at once (SIGKILL), as a crash would;
 * {@link #start()} starts it again on the same port and directory.</li>
 * <li>The child process is terminated when the JVM exits normally or by a signal it can
 * handle; only a hard kill of the JVM ({@code kill -9}) leaves it behind.</li>
 * </ul>
 *
 * <p>
 * The binary is the one given to {@link Builder#executable(Path)}, else the
 * {@code HERALD_REDIS_SERVER} environment variable, else {@code redis-server} on
 * {@code PATH} or in {@code /usr/bin}, {@code /usr/sbin}, {@code /usr/local/bin} or
 * {@code /opt/homebrew/bin}. The server's own output is appended to
 * {@code redis-server.log} in its directory unless {@link Builder#logFile(Path)} says
 * otherwise.
 */
public final class RedisServer implements AutoCloseable {

	/**
	 * The {@code stream-node-max-bytes} of every mode, as the deployments set it: the
	 * size of a stream's listpack nodes, and of the one a new stream (a new inbox) starts
	 * with.
	 */
	public static final String STREAM_NODE_MAX_BYTES = "2048";

	/**
	 * The {@code appendfsync} policy of the persistent mode: Redis' default and what
	 * production deployments are told to use; {@code always} would sync before every
	 * answer, at the cost of a disk write per command.
	 */
	public static final String APPENDFSYNC = "everysec";

	/**
	 * Default time to wait for {@code PING}; loading a large append-only file may need
	 * more.
	 */
	public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);

	/** Time a terminated server gets to flush and exit before it is killed. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration PING_TIMEOUT = Duration.ofMillis(500);

	/**
	 * How long a cluster node may not answer before the others count it as failed and its
	 * replica takes over: short, for tests that fail a shard over.
	 */
	static final Duration CLUSTER_NODE_TIMEOUT = Duration.ofSeconds(3);

	/** Time between two checks of a replica's link. */
	private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

	private static final Logger log = LoggerFactory.getLogger(RedisServer.class);

	private final Path executable;

	private final int port;

	private final Path directory;

	private final boolean temporary;

	private final Path logFile;

	private final Duration startupTimeout;

	/** The port of the primary this server replicates, or 0. */
	private final int replicaOf;

	/** The port of the cluster bus, or 0 outside a cluster. */
	private final int clusterPort;

	private final ServerProcess process;

	private final ServerLifetime lifetime;

	private RedisServer(Builder builder) {
		this.executable = SystemExecutable.REDIS.locate(builder.executable, System.getenv());
		this.port = (builder.port != 0) ? builder.port : FreePorts.find();
		this.temporary = (builder.dataDirectory == null);
		this.directory = this.temporary ? TemporaryDirectories.create("herald-redis-") : builder.dataDirectory;
		this.logFile = (builder.logFile != null) ? builder.logFile : this.directory.resolve("redis-server.log");
		this.startupTimeout = builder.startupTimeout;
		this.replicaOf = builder.replicaOf;
		this.clusterPort = builder.clusterPort;
		String description = "redis-server on port " + this.port;
		this.process = new ServerProcess("redis-server-" + this.port, description, this.logFile, STOP_TIMEOUT);
		this.lifetime = new ServerLifetime(description, this.temporary ? this.directory : null,
				builder.destroyOnJvmExit ? JvmExit.register("redis-server-" + this.port, this::close) : null);
	}

	/**
	 * Returns a builder for an ephemeral server on a free port.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts the server and waits until it answers {@code PING}. Calling it on a running
	 * server does nothing.
	 * @return this server
	 * @throws IllegalStateException if the server was closed, exited early (for example
	 * because its port is taken) or did not answer within the startup timeout
	 */
	public synchronized RedisServer start() {
		this.lifetime.checkNotClosed();
		if (this.process.isRunning()) {
			return this;
		}
		Process process;
		try {
			Files.createDirectories(this.directory);
			process = this.process.start(new ProcessBuilder(command()).directory(this.directory.toFile()),
					this.startupTimeout, this::notReadyBecause);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + this.executable + ": " + ex.getMessage(), ex);
		}
		log.info("Redis server ready on {} (pid {}, {})", uri(), process.pid(),
				this.temporary ? "ephemeral" : "persistent in " + this.directory);
		return this;
	}

	/**
	 * Terminates the server and waits until it has exited, keeping its port and, in
	 * persistent mode, its data for a later {@link #start()}. Calling it on a stopped
	 * server does nothing.
	 */
	public synchronized void stop() {
		this.process.stop();
	}

	/**
	 * Kills the server at once with SIGKILL, as a crash would, and waits until the
	 * process is gone; nothing is flushed or shut down. {@link #start()} starts it again
	 * on the same port and, in persistent mode, replays its append-only file.
	 * @return the pid of the killed process
	 * @throws IllegalStateException if the server is not running or its process outlives
	 * the kill
	 */
	public synchronized long kill() {
		return this.process.kill();
	}

	/**
	 * Stops the server's process (SIGSTOP) without ending it: it answers nothing and
	 * reads nothing until {@link #resume()}, while the operating system still takes what
	 * is sent to it. For a replica that falls behind.
	 * @throws IllegalStateException if the server is not running
	 */
	public void pause() {
		signal("STOP");
	}

	/** Lets a {@link #pause() paused} server run on (SIGCONT). */
	public void resume() {
		signal("CONT");
	}

	/**
	 * Closes the links of this primary's replicas ({@code CLIENT KILL TYPE replica}):
	 * what it takes next reaches a replica only once it connects again, and never if it
	 * is paused until this primary dies.
	 * @return how many replica links were closed
	 */
	public int dropReplicas() {
		return Integer.parseInt(String.valueOf(call("CLIENT", "KILL", "TYPE", "replica")));
	}

	/**
	 * Makes this replica a primary ({@code REPLICAOF NO ONE}), with what it has, as
	 * Sentinel or a managed Redis promotes a replica when its primary fails.
	 */
	public void promote() {
		call("REPLICAOF", "NO", "ONE");
	}

	/**
	 * Makes this replica fall behind its primary for good: it is {@link #pause() paused}
	 * and the primary {@link #dropReplicas() drops its link}, so nothing the primary
	 * takes from now on reaches it, even once it runs again.
	 * @param primary the primary this server replicates
	 */
	public void fallBehind(RedisServer primary) {
		pause();
		primary.dropReplicas();
	}

	/**
	 * A failover: the primary dies (SIGKILL), and this replica runs again and is
	 * {@link #promote() promoted} with whatever it had.
	 * @param primary the primary this server replicated
	 */
	public void takeOverFrom(RedisServer primary) {
		primary.kill();
		resume();
		promote();
	}

	/**
	 * Waits until this replica is linked to its primary and has copied it
	 * ({@code master_link_status:up}).
	 * @throws IllegalStateException if it is not within the timeout
	 */
	public void awaitReplicaInSync(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (String.valueOf(call("INFO", "replication")).contains("master_link_status:up")) {
				return;
			}
			LockSupport.parkNanos(POLL_INTERVAL.toNanos());
		}
		throw new IllegalStateException(
				"The replica on port " + this.port + " was not in sync within " + timeout.toSeconds() + " s");
	}

	/**
	 * Waits until this replica has applied everything its primary had taken when this was
	 * called: its {@code slave_repl_offset} reaches the primary's
	 * {@code master_repl_offset}. Unlike {@code WAIT} on the primary, which counts any
	 * replica that acknowledges, it waits for this one.
	 * @param primary the primary this server replicates
	 * @param timeout how long to wait
	 * @throws IllegalStateException if it does not within the timeout
	 */
	public void awaitCaughtUpWith(RedisServer primary, Duration timeout) {
		long target = offset(primary.call("INFO", "replication"), "master_repl_offset");
		long deadline = System.nanoTime() + timeout.toNanos();
		long applied = -1;
		while (System.nanoTime() < deadline) {
			applied = offset(call("INFO", "replication"), "slave_repl_offset");
			if (applied >= target) {
				return;
			}
			LockSupport.parkNanos(POLL_INTERVAL.toNanos());
		}
		throw new IllegalStateException("The replica on port " + this.port + " had applied offset " + applied
				+ " of its primary's " + target + " after " + timeout.toSeconds() + " s");
	}

	/** A numeric field of {@code INFO replication}, or -1 if it is missing. */
	private static long offset(@Nullable String info, String field) {
		String prefix = field + ":";
		return String.valueOf(info)
			.lines()
			.filter((line) -> line.startsWith(prefix))
			.mapToLong((line) -> Long.parseLong(line.substring(prefix.length()).strip()))
			.findFirst()
			.orElse(-1);
	}

	/**
	 * Closes every server of a list, paused ones too (they are resumed first, so that
	 * they can end), and empties the list.
	 */
	static void closeAll(List<RedisServer> servers) {
		for (RedisServer server : servers) {
			if (server.isRunning()) {
				server.resume();
			}
			server.close();
		}
		servers.clear();
	}

	/**
	 * Sends one command to the server on a connection of its own.
	 * @return the reply as {@link RespClient#call} reads it
	 * @throws UncheckedIOException if the server does not answer
	 */
	public @Nullable String call(String... command) {
		try (RespClient client = RespClient.connect(host(), this.port, STOP_TIMEOUT)) {
			return client.call(command);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("redis-server on port " + this.port + " did not answer "
					+ String.join(" ", command) + ": " + ex.getMessage(), ex);
		}
	}

	private void signal(String signal) {
		long pid = pid();
		if (pid <= 0) {
			throw new IllegalStateException("redis-server on port " + this.port + " is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
			if (!kill.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("Could not send SIG" + signal + " to redis-server (pid " + pid + ")");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not send SIG" + signal + " to redis-server (pid " + pid + ")", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling redis-server", ex);
		}
	}

	/**
	 * Returns the pid of the running server process.
	 * @return the pid, or {@code -1} if the server is not running
	 */
	public synchronized long pid() {
		return this.process.pid();
	}

	/**
	 * Stops the server and deletes its directory if it was temporary. Idempotent.
	 */
	@Override
	public synchronized void close() {
		this.lifetime.close(this::stop);
	}

	/**
	 * Returns the host the server listens on.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return FreePorts.LOOPBACK;
	}

	/**
	 * Returns the port, fixed for the lifetime of this object.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Returns the file the server's output goes to (a temporary server's is deleted with
	 * its directory when it closes).
	 * @return the log file
	 */
	public Path logFile() {
		return this.logFile;
	}

	/**
	 * Returns the address in the form Redis clients accept.
	 * @return {@code redis://127.0.0.1:<port>}
	 */
	public String uri() {
		return "redis://" + host() + ":" + this.port;
	}

	/**
	 * Tells whether the server process is running.
	 * @return {@code true} between a successful {@link #start()} and the next
	 * {@link #stop()}, unless the process died in between
	 */
	public synchronized boolean isRunning() {
		return this.process.isRunning();
	}

	private List<String> command() {
		List<String> command = new ArrayList<>(List.of(this.executable.toString(), "--port",
				Integer.toString(this.port), "--bind", host(), "--protected-mode", "yes", "--daemonize", "no", "--dir",
				this.directory.toAbsolutePath().toString(), "--logfile", "",
				// No RDB snapshots in either mode: the persistent mode relies on the
				// append-only file.
				"--save", "",
				// Every stream starts with a listpack of this size (Redis 7 preallocates
				// up to 4 KiB): at 4 KiB the allocation is a page of its own, which
				// makes each new inbox cost 4.7 KB and its first XADD ten times as much
				// as the next (docs/benchmarks.md).
				"--stream-node-max-bytes", STREAM_NODE_MAX_BYTES));
		command.addAll(this.temporary ? List.of("--appendonly", "no")
				: List.of("--appendonly", "yes", "--appendfsync", APPENDFSYNC));
		if (this.replicaOf != 0) {
			command.addAll(List.of("--replicaof", host(), Integer.toString(this.replicaOf)));
		}
		if (this.clusterPort != 0) {
			// The node's view of the cluster lives in its directory; the bus port is
			// chosen, not derived (port + 10000), so that it is known to be free.
			command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port",
					Integer.toString(this.clusterPort), "--cluster-node-timeout",
					Long.toString(CLUSTER_NODE_TIMEOUT.toMillis())));
		}
		return command;
	}

	/**
	 * The server is ready once it answers {@code PING}, and it is this process that
	 * answers.
	 */
	private @Nullable String notReadyBecause(Process process) {
		try (RespClient client = RespClient.connect(host(), this.port, PING_TIMEOUT)) {
			// Another server already on this port would answer too: check it is our
			// process.
			if ("PONG".equals(client.call("PING")) && isOwnProcess(client.call("INFO", "server"), process)) {
				return null;
			}
			return "another process answers PING on this port";
		}
		catch (IOException ex) {
			// Not listening yet, or still loading its data ("LOADING ..."): asked again
			// shortly.
			return "no answer to PING: " + ex;
		}
	}

	private static boolean isOwnProcess(@Nullable String info, Process process) {
		return info != null && info.lines().anyMatch(("process_id:" + process.pid())::equals);
	}

	@Override
	public String toString() {
		return "RedisServer[" + uri() + ", " + this.directory + "]";
	}

	/**
	 * Configures a {@link RedisServer}. Every setting is optional.
	 */
	public static final class Builder {

		private int port;

		private @Nullable Path dataDirectory;

		private @Nullable Path executable;

		private @Nullable Path logFile;

		private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

		private boolean destroyOnJvmExit = true;

		private int replicaOf;

		private int clusterPort;

		private Builder() {
		}

		/**
		 * Starts the server as a replica of the server on this port of {@code 127.0.0.1}
		 * ({@code --replicaof}): it copies everything the primary has, then each write as
		 * it happens, asynchronously, as Redis replication does.
		 * @param primaryPort the primary's port
		 * @return this builder
		 */
		public Builder replicaOf(int primaryPort) {
			if (primaryPort < 1 || primaryPort > 65535) {
				throw new IllegalArgumentException("primaryPort must be between 1 and 65535, but was " + primaryPort);
			}
			this.replicaOf = primaryPort;
			return this;
		}

		/**
		 * Starts the server as a node of a Redis Cluster ({@code --cluster-enabled yes}),
		 * which serves no slot until it is given some or joins as a replica (see
		 * {@link RedisCluster}).
		 * @param busPort the port of the cluster bus between the nodes
		 * @return this builder
		 */
		public Builder clusterNode(int busPort) {
			if (busPort < 1 || busPort > 65535) {
				throw new IllegalArgumentException("busPort must be between 1 and 65535, but was " + busPort);
			}
			this.clusterPort = busPort;
			return this;
		}

		/**
		 * Sets the port.
		 * @param port a TCP port, or 0 (the default) to pick a free one once, kept across
		 * restarts
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = FreePorts.checkPort(port, "port");
			return this;
		}

		/**
		 * Switches to persistent mode: an append-only file in this directory, created if
		 * missing and never deleted.
		 * @param dataDirectory the directory
		 * @return this builder
		 */
		public Builder dataDirectory(Path dataDirectory) {
			this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory must not be null");
			return this;
		}

		/**
		 * Uses this binary instead of looking for {@code redis-server}.
		 * @param executable the path of a {@code redis-server} binary
		 * @return this builder
		 */
		public Builder executable(Path executable) {
			this.executable = Objects.requireNonNull(executable, "executable must not be null");
			return this;
		}

		/**
		 * Appends the server's output to this file instead of {@code redis-server.log} in
		 * its directory; the file's directory is created if missing.
		 * @param logFile the log file
		 * @return this builder
		 */
		public Builder logFile(Path logFile) {
			this.logFile = Objects.requireNonNull(logFile, "logFile must not be null");
			return this;
		}

		/**
		 * Sets how long {@link RedisServer#start()} waits for {@code PING} to succeed.
		 * @param startupTimeout a positive duration, {@link #DEFAULT_STARTUP_TIMEOUT} by
		 * default
		 * @return this builder
		 */
		public Builder startupTimeout(Duration startupTimeout) {
			this.startupTimeout = ServerProcess.checkStartupTimeout(startupTimeout);
			return this;
		}

		/**
		 * Chooses whether a JVM shutdown hook closes the server (the default). Turn it
		 * off only when the owner closes the server in its own shutdown hook and must
		 * control the order, as the local stack does so that services stop before the
		 * Redis they use.
		 * @param destroyOnJvmExit {@code false} to leave closing to the owner
		 * @return this builder
		 */
		public Builder destroyOnJvmExit(boolean destroyOnJvmExit) {
			this.destroyOnJvmExit = destroyOnJvmExit;
			return this;
		}

		/**
		 * Locates the binary and builds a server that is not started yet.
		 * @return the server
		 * @throws IllegalStateException with a one-line message saying what to install if
		 * the binary cannot be found
		 */
		public RedisServer build() {
			return new RedisServer(this);
		}

	}

}
