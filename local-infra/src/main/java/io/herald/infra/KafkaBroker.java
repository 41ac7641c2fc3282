package io.herald.infra;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in KRaft mode, running inside this JVM: a cluster of one node, or
 * one node of a cluster ({@link Builder#node(int, KafkaQuorum)}).
 *
 * <p>
 * The node is both broker and controller ({@code process.roles=broker,controller}); it is
 * Kafka's own {@link KafkaRaftServer}, so clients see exactly what they would see against
 * a production broker of the same version. Both listeners bind to {@code 127.0.0.1} only.
 *
 * <p>
 * Contract:
 * <ul>
 * <li>{@link #start()} formats the log directory on first use and blocks until the broker
 * is registered and unfenced, so clients can produce as soon as it returns.</li>
 * <li>{@link #stop()} shuts the broker down cleanly and keeps its data; a later
 * {@link #start()} serves the same data on the same ports. Tests use this pair to
 * simulate an outage.</li>
 * <li>{@link #close()} stops the broker and, if the log directory was a temporary one,
 * deletes it. A broker cannot be started again after {@code close()}.</li>
 * <li>Topics are never created implicitly ({@code auto.create.topics.enable=false}):
 * services declare their topics, as they must in production. New topics default to
 * {@value #DEFAULT_PARTITIONS} partitions.</li>
 * </ul>
 *
 * <p>
 * Example: <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.builder().build().start()) {
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>
 * Several brokers may run in one JVM, each on its own ports and directory; tests do this.
 * A broker with a temporary directory that is never closed is closed by a shutdown hook.
 */
public final class KafkaBroker implements AutoCloseable {

	/**
	 * Partitions of a topic created without an explicit count; enough to exercise
	 * parallelism locally.
	 */
	public static final int DEFAULT_PARTITIONS = 6;

	/**
	 * Partitions of the internal offsets and transaction topics; far below Kafka's 50 to
	 * start fast.
	 */
	private static final int INTERNAL_TOPIC_PARTITIONS = 6;

	/** Threads that load the logs at start-up, recovering them after an unclean stop. */
	static final int RECOVERY_THREADS = 8;

	/**
	 * Log cleaner buffer: Kafka's 128 MiB default is sized for production and would be
	 * allocated per broker.
	 */
	private static final int LOG_CLEANER_BUFFER_BYTES = 4 * 1024 * 1024;

	/** The node id of a single broker. */
	static final int SINGLE_NODE_ID = 1;

	/** Written by the formatter; its presence means the directory is formatted. */
	private static final String META_PROPERTIES = "meta.properties";

	private static final String HOST = "127.0.0.1";

	private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

	private final int port;

	private final int controllerPort;

	private final Path logDirectory;

	private final int nodeId;

	private final KafkaQuorum quorum;

	private final Map<String, String> extraProperties;

	private final ServerLifetime lifetime;

	private @Nullable KafkaRaftServer server;

	private KafkaBroker(Builder builder) {
		this.port = (builder.port != 0) ? builder.port : FreePorts.find();
		if (builder.quorum != null) {
			this.nodeId = builder.nodeId;
			this.quorum = builder.quorum;
			this.controllerPort = this.quorum.controllerPort(this.nodeId);
		}
		else {
			this.nodeId = SINGLE_NODE_ID;
			this.controllerPort = (builder.controllerPort != 0) ? builder.controllerPort
					: FreePorts.findOtherThan(this.port);
			this.quorum = KafkaQuorum.single(this.nodeId, this.controllerPort);
		}
		if (this.port == this.controllerPort) {
			throw new IllegalArgumentException("Kafka port and controller port must differ, both are " + this.port);
		}
		boolean temporary = (builder.logDirectory == null);
		this.logDirectory = temporary ? TemporaryDirectories.create("herald-kafka-") : builder.logDirectory;
		this.extraProperties = Map.copyOf(builder.properties);
		this.lifetime = new ServerLifetime("Kafka broker on port " + this.port, temporary ? this.logDirectory : null,
				temporary ? JvmExit.register("kafka-broker-" + this.port, this::close) : null);
	}

	/**
	 * Returns a builder for a broker on free ports with a temporary log directory.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts the broker, formatting the log directory if it has never been formatted, and
	 * returns once clients can produce and consume. Calling it on a running broker does
	 * nothing.
	 * @return this broker
	 * @throws IllegalStateException if the broker was closed or could not start (for
	 * example because its port is taken)
	 */
	public synchronized KafkaBroker start() {
		this.lifetime.checkNotClosed();
		if (this.server != null) {
			return this;
		}
		long startedAt = System.nanoTime();
		KafkaConfig config = new KafkaConfig(brokerProperties(), false);
		try {
			format(config);
			KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
			try {
				server.startup();
			}
			catch (RuntimeException ex) {
				shutDown(server);
				throw ex;
			}
			this.server = server;
		}
		catch (Exception ex) {
			throw new IllegalStateException(
					"Kafka broker could not start on " + bootstrapServers() + " (controller port " + this.controllerPort
							+ ", log directory " + this.logDirectory + "): " + ex.getMessage(),
					ex);
		}
		log.info("Kafka broker ready on {} in {} ms (log directory {})", bootstrapServers(),
				Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), this.logDirectory);
		return this;
	}

	/**
	 * Shuts the broker down cleanly, keeping its data and ports for a later
	 * {@link #start()}. Calling it on a stopped broker does nothing.
	 */
	public synchronized void stop() {
		KafkaRaftServer server = this.server;
		if (server != null) {
			this.server = null;
			shutDown(server);
			log.info("Kafka broker on {} stopped", bootstrapServers());
		}
	}

	/**
	 * Stops the broker and deletes a temporary log directory; a persistent one is kept.
	 * Idempotent.
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
		return HOST + ":" + this.port;
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
	 * @return {@value #SINGLE_NODE_ID} for a single broker
	 */
	public int nodeId() {
		return this.nodeId;
	}

	/**
	 * Returns the directory that holds both the topic data and the cluster metadata log.
	 * @return the log directory
	 */
	public Path logDirectory() {
		return this.logDirectory;
	}

	/**
	 * Tells whether the broker is running.
	 * @return {@code true} between a successful {@link #start()} and the next
	 * {@link #stop()}
	 */
	public synchronized boolean isRunning() {
		return this.server != null;
	}

	private Map<String, String> brokerProperties() {
		String logDir = this.logDirectory.toAbsolutePath().toString();
		Map<String, String> props = new LinkedHashMap<>();
		props.put("process.roles", "broker,controller");
		props.put("node.id", Integer.toString(this.nodeId));
		// Static voters (kraft.version 0): the controller ports are read from this
		// configuration on every start instead of being stored in the metadata log, so
		// they may differ between runs.
		props.put("controller.quorum.voters", this.quorum.voters());
		props.put("listeners",
				"PLAINTEXT://" + HOST + ":" + this.port + ",CONTROLLER://" + HOST + ":" + this.controllerPort);
		props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + this.port);
		props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		props.put("controller.listener.names", "CONTROLLER");
		props.put("inter.broker.listener.name", "PLAINTEXT");
		props.put("log.dirs", logDir);
		props.put("metadata.log.dir", logDir);
		// One node keeps one copy of everything; three keep three, two of them in sync
		// (KafkaQuorum).
		String replicas = Integer.toString(this.quorum.replicationFactor());
		String inSync = Integer.toString(this.quorum.minInsyncReplicas());
		props.put("default.replication.factor", replicas);
		props.put("min.insync.replicas", inSync);
		props.put("offsets.topic.replication.factor", replicas);
		props.put("offsets.topic.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
		props.put("transaction.state.log.replication.factor", replicas);
		props.put("transaction.state.log.min.isr", inSync);
		props.put("transaction.state.log.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
		props.put("share.coordinator.state.topic.replication.factor", replicas);
		props.put("share.coordinator.state.topic.min.isr", inSync);
		// A local group's members start together: rebalance at once instead of waiting 3
		// s.
		props.put("group.initial.rebalance.delay.ms", "0");
		props.put("group.streams.initial.rebalance.delay.ms", "0");
		props.put("auto.create.topics.enable", "false");
		props.put("num.partitions", Integer.toString(DEFAULT_PARTITIONS));
		props.put("log.cleaner.dedupe.buffer.size", Integer.toString(LOG_CLEANER_BUFFER_BYTES));
		// Tests start several brokers per JVM: keep the thread count modest.
		props.put("num.network.threads", "2");
		props.put("num.io.threads", "4");
		// Recovery threads live only while the broker loads or closes its logs. After a
		// SIGKILL every partition of the local stack (about 1,360, two in five of them
		// the lanes' retry levels) needs recovering: one thread took 26 s under the
		// chaos load, eight take 9 s.
		props.put("num.recovery.threads.per.data.dir", Integer.toString(RECOVERY_THREADS));
		props.putAll(this.extraProperties);
		return props;
	}

	private void format(KafkaConfig config) throws Exception {
		Files.createDirectories(this.logDirectory);
		if (Files.exists(this.logDirectory.resolve(META_PROPERTIES))) {
			// Formatted by an earlier start: keep its cluster id and data.
			return;
		}
		new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
			.setNodeId(this.nodeId)
			.setClusterId(this.quorum.clusterId())
			.setDirectories(List.of(this.logDirectory.toAbsolutePath().toString()))
			.setMetadataLogDirectory(config.metadataLogDir())
			.setControllerListenerName("CONTROLLER")
			.setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
			.run();
	}

	private static void shutDown(KafkaRaftServer server) {
		server.shutdown();
		server.awaitShutdown();
	}

	@Override
	public String toString() {
		return "KafkaBroker[" + bootstrapServers() + ", " + this.logDirectory + "]";
	}

	/**
	 * Configures a {@link KafkaBroker}. Every setting is optional.
	 */
	public static final class Builder {

		private int port;

		private int controllerPort;

		private @Nullable Path logDirectory;

		private int nodeId;

		private @Nullable KafkaQuorum quorum;

		private final Map<String, String> properties = new LinkedHashMap<>();

		private Builder() {
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
		 * Sets the port of the KRaft controller listener, which clients never use.
		 * @param controllerPort a TCP port, or 0 (the default) to pick a free one once
		 * @return this builder
		 */
		public Builder controllerPort(int controllerPort) {
			this.controllerPort = FreePorts.checkPort(controllerPort, "controllerPort");
			return this;
		}

		/**
		 * Keeps the data in the given directory, created if missing and never deleted.
		 * Without it the broker uses a temporary directory deleted by
		 * {@link KafkaBroker#close()}.
		 * @param logDirectory the directory for topic data and the metadata log
		 * @return this builder
		 */
		public Builder logDirectory(Path logDirectory) {
			this.logDirectory = Objects.requireNonNull(logDirectory, "logDirectory must not be null");
			return this;
		}

		/**
		 * Makes this broker one node of a cluster, each node both broker and controller;
		 * its controller port is the quorum's for this node, and
		 * {@link #controllerPort(int)} is ignored. Without it the broker is a cluster of
		 * one.
		 * @param nodeId this node's id, one of the quorum's
		 * @param quorum every node's controller port and the cluster's id, the same for
		 * every node
		 * @return this builder
		 */
		public Builder node(int nodeId, KafkaQuorum quorum) {
			quorum.controllerPort(nodeId);
			this.nodeId = nodeId;
			this.quorum = quorum;
			return this;
		}

		/**
		 * Adds a broker property, overriding the defaults chosen for a single local node.
		 * Listener, role and directory properties are derived from the builder and should
		 * not be set.
		 * @param name a Kafka broker property name, such as {@code log.retention.ms}
		 * @param value its value
		 * @return this builder
		 */
		public Builder property(String name, String value) {
			this.properties.put(Objects.requireNonNull(name, "name must not be null"),
					Objects.requireNonNull(value, "value must not be null"));
			return this;
		}

		/**
		 * Builds a broker that is not started yet. A port of 0 is resolved here.
		 * @return the broker
		 */
		public KafkaBroker build() {
			return new KafkaBroker(this);
		}

	}

}
