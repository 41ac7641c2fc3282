package io.herald.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker of {@link KafkaBroker} in a child JVM of its own ({@link KafkaBrokerMain},
 * started with this JVM's classpath), so that it can be killed with SIGKILL the way a
 * broker host or process dies: no shutdown, no flush, no goodbye to the controller. An
 * in-process broker can only be stopped cleanly, which proves less.
 *
 * <p>
 * Contract:
 * <ul>
 * <li>{@link #start()} returns once the broker serves clients, on the same ports and log
 * directory every time; it fails with the tail of the broker's output if the JVM exits
 * early or the broker is not ready within the startup timeout.</li>
 * <li>{@link #kill()} sends SIGKILL and returns once the process is gone; {@link #stop()}
 * sends SIGTERM, so the broker shuts down cleanly (then SIGKILL after
 * {@value #STOP_TIMEOUT_SECONDS} s).</li>
 * <li>Acknowledged records survive a kill: the broker's writes are in the operating
 * system's page cache when it acknowledges them, and a killed process does not take the
 * page cache with it. The restarted broker recovers its logs (an unclean shutdown) before
 * it serves clients.</li>
 * <li>The child exits when this JVM exits, whether or not {@link #close()} was
 * called.</li>
 * </ul>
 */
public final class KafkaBrokerProcess implements AutoCloseable {

	/** How long {@link #start()} waits: a JVM start plus log recovery after a kill. */
	public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(120);

	/**
	 * The broker JVM's heap: a local single-node broker needs little, and the machine is
	 * shared.
	 */
	static final String MAX_HEAP = "-Xmx512m";

	static final long STOP_TIMEOUT_SECONDS = 30;

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(STOP_TIMEOUT_SECONDS);

	/**
	 * Runs a main class nested in an executable Spring Boot jar, given by
	 * {@code loader.main}.
	 */
	private static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);

	private final int port;

	private final int controllerPort;

	private final int nodeId;

	private final @Nullable KafkaQuorum quorum;

	private final Path logDirectory;

	private final Path outputFile;

	private final Path readyFile;

	private final Duration startupTimeout;

	private final List<String> jvmOptions;

	private final ServerProcess process;

	private final ServerLifetime lifetime;

	private KafkaBrokerProcess(Builder builder) {
		this.port = (builder.port != 0) ? builder.port : FreePorts.find();
		this.quorum = builder.quorum;
		this.nodeId = (this.quorum != null) ? builder.nodeId : KafkaBroker.SINGLE_NODE_ID;
		this.controllerPort = (this.quorum != null) ? this.quorum.controllerPort(this.nodeId)
				: FreePorts.findOtherThan(this.port);
		Path temporary = (builder.logDirectory == null || builder.outputFile == null)
				? TemporaryDirectories.create("herald-kafka-process-") : null;
		this.logDirectory = (builder.logDirectory != null) ? builder.logDirectory
				: Objects.requireNonNull(temporary).resolve("data");
		this.outputFile = (builder.outputFile != null) ? builder.outputFile
				: Objects.requireNonNull(temporary).resolve("kafka-broker.log");
		this.readyFile = this.outputFile.resolveSibling(this.outputFile.getFileName() + ".ready");
		this.startupTimeout = builder.startupTimeout;
		this.jvmOptions = builder.jvmOptions;
		String description = "Kafka broker process on port " + this.port;
		this.process = new ServerProcess("kafka-broker-" + this.port, description, this.outputFile, STOP_TIMEOUT);
		this.lifetime = new ServerLifetime(description, temporary,
				JvmExit.register("kafka-broker-process-" + this.port, this::close));
	}

	/**
	 * Returns a builder for a broker process on a free port with a temporary log
	 * directory.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts the broker's JVM and waits until the broker serves clients. Calling it while
	 * the broker runs does nothing.
	 * @return this broker
	 * @throws IllegalStateException if it was closed, exited early or was not ready in
	 * time
	 */
	public synchronized KafkaBrokerProcess start() {
		this.lifetime.checkNotClosed();
		if (this.process.isRunning()) {
			return this;
		}
		long startedAt = System.nanoTime();
		Process process;
		try {
			Files.createDirectories(this.logDirectory);
			Files.deleteIfExists(this.readyFile);
			process = this.process.start(new ProcessBuilder(command()), this.startupTimeout, this::notReadyBecause);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the Kafka broker process: " + ex.getMessage(), ex);
		}
		log.info("Kafka broker process ready on {} (pid {}) in {} ms", bootstrapServers(), process.pid(),
				Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
		return this;
	}

	/**
	 * Kills the broker at once with SIGKILL and waits until its process is gone.
	 * @return the pid of the killed process
	 * @throws IllegalStateException if the broker is not running or outlives the kill
	 */
	public synchronized long kill() {
		return this.process.kill();
	}

	/**
	 * Shuts the broker down cleanly (SIGTERM), keeping its data for a later
	 * {@link #start()}. Calling it on a stopped broker does nothing.
	 */
	public synchronized void stop() {
		this.process.stop();
	}

	/**
	 * Stops the broker and deletes its directories if they were temporary. Idempotent.
	 */
	@Override
	public synchronized void close() {
		this.lifetime.close(this::stop);
	}

	/**
	 * Returns the address clients connect to, whether or not the broker is running.
	 * @return {@code 127.0.0.1:<port>}
	 */
	public String bootstrapServers() {
		return FreePorts.LOOPBACK + ":" + this.port;
	}

	/**
	 * Returns the client port, fixed for the lifetime of this object.
	 * @return the client port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Returns this node's id in its cluster.
	 * @return 1 for a single broker
	 */
	public int nodeId() {
		return this.nodeId;
	}

	/**
	 * Returns the directory of the topic data and the metadata log.
	 * @return the log directory
	 */
	public Path logDirectory() {
		return this.logDirectory;
	}

	/**
	 * Returns the pid of the running broker process.
	 * @return the pid, or {@code -1} if the broker is not running
	 */
	public synchronized long pid() {
		return this.process.pid();
	}

	/**
	 * Tells whether the broker process is running.
	 * @return {@code true} between a successful {@link #start()} and the next
	 * {@link #stop()} or {@link #kill()}, unless the process died in between
	 */
	public synchronized boolean isRunning() {
		return this.process.isRunning();
	}

	/**
	 * The command that runs {@link KafkaBrokerMain} with this JVM's classpath. Inside an
	 * executable Spring Boot jar (the local stack's, or the chaos suite's), the classes
	 * are nested in the jar and only its launcher can load them.
	 */
	List<String> command() {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add(MAX_HEAP);
		command.addAll(this.jvmOptions);
		if (Runtime.version().feature() >= 23) {
			// The broker unmaps its index files through sun.misc.Unsafe, which JDK 24+
			// warns about.
			command.add("--sun-misc-unsafe-memory-access=allow");
		}
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		if (KafkaBrokerMain.class.getClassLoader() == ClassLoader.getSystemClassLoader()) {
			command.add(KafkaBrokerMain.class.getName());
		}
		else {
			command.add("-Dloader.main=" + KafkaBrokerMain.class.getName());
			command.add(BOOT_LAUNCHER);
		}
		command.addAll(List.of(Integer.toString(this.port), Integer.toString(this.controllerPort),
				this.logDirectory.toAbsolutePath().toString(), this.readyFile.toAbsolutePath().toString()));
		KafkaQuorum quorum = this.quorum;
		if (quorum != null) {
			command.addAll(List.of(Integer.toString(this.nodeId), quorum.clusterId(), quorum.voters()));
		}
		return command;
	}

	/**
	 * The broker is ready once its JVM has written its own pid to the ready file
	 * ({@link KafkaBrokerMain}); a file of an earlier run is deleted before each start.
	 */
	private @Nullable String notReadyBecause(Process process) {
		return Long.toString(process.pid()).equals(readyPid()) ? null : "it has not written its ready file yet";
	}

	private @Nullable String readyPid() {
		try {
			return Files.exists(this.readyFile) ? Files.readString(this.readyFile, StandardCharsets.US_ASCII).trim()
					: null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return "KafkaBrokerProcess[" + bootstrapServers() + ", " + this.logDirectory + "]";
	}

	/** Configures a {@link KafkaBrokerProcess}. Every setting is optional. */
	public static final class Builder {

		private int port;

		private @Nullable Path logDirectory;

		private @Nullable Path outputFile;

		private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

		private int nodeId;

		private @Nullable KafkaQuorum quorum;

		private List<String> jvmOptions = List.of();

		private Builder() {
		}

		/**
		 * Starts the broker's JVM with these options too, such as a test's
		 * {@code -XX:TieredStopAtLevel=1}.
		 * @param jvmOptions the options, none by default
		 * @return this builder
		 */
		public Builder jvmOptions(List<String> jvmOptions) {
			this.jvmOptions = List.copyOf(jvmOptions);
			return this;
		}

		/**
		 * Makes this broker one node of a cluster
		 * ({@link KafkaBroker.Builder#node(int, KafkaQuorum)}); its controller port is
		 * the quorum's for this node.
		 * @param nodeId this node's id, one of the quorum's
		 * @param quorum every node's controller port and the cluster's id
		 * @return this builder
		 */
		public Builder node(int nodeId, KafkaQuorum quorum) {
			quorum.controllerPort(nodeId);
			this.nodeId = nodeId;
			this.quorum = quorum;
			return this;
		}

		/**
		 * Sets the client port.
		 * @param port a TCP port, or 0 (the default) to pick a free one once, kept across
		 * restarts
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = FreePorts.checkPort(port, "port");
			return this;
		}

		/**
		 * Keeps the data in this directory, created if missing and never deleted.
		 * @param logDirectory the directory for topic data and the metadata log
		 * @return this builder
		 */
		public Builder logDirectory(Path logDirectory) {
			this.logDirectory = Objects.requireNonNull(logDirectory, "logDirectory must not be null");
			return this;
		}

		/**
		 * Appends the broker JVM's output to this file; its directory also holds the file
		 * by which the broker says it is ready.
		 * @param outputFile the log file
		 * @return this builder
		 */
		public Builder outputFile(Path outputFile) {
			this.outputFile = Objects.requireNonNull(outputFile, "outputFile must not be null");
			return this;
		}

		/**
		 * Sets how long {@link KafkaBrokerProcess#start()} waits for the broker.
		 * @param startupTimeout a positive duration, {@link #DEFAULT_STARTUP_TIMEOUT} by
		 * default
		 * @return this builder
		 */
		public Builder startupTimeout(Duration startupTimeout) {
			this.startupTimeout = ServerProcess.checkStartupTimeout(startupTimeout);
			return this;
		}

		/**
		 * Builds a broker process that is not started yet. A port of 0 is resolved here.
		 * @return the broker process
		 */
		public KafkaBrokerProcess build() {
			return new KafkaBrokerProcess(this);
		}

	}

}
