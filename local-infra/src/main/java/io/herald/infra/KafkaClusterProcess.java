package io.herald.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka cluster of several nodes, each a {@link KafkaBrokerProcess} (broker and
 * controller in a JVM of its own), on {@code 127.0.0.1}: what production runs, small
 * enough for one machine. Three nodes keep three copies of every partition, two in sync
 * before a write is acknowledged ({@link KafkaQuorum}), so any one node can be killed
 * with SIGKILL while clients go on.
 *
 * <p>
 * Contract:
 * <ul>
 * <li>{@link #start()} starts every node at once (a node is ready only once a majority of
 * the controllers has formed a quorum) and returns once all of them serve clients.</li>
 * <li>{@link #node(int)} is one node, to {@link KafkaBrokerProcess#kill() kill} and
 * {@link KafkaBrokerProcess#start() start} again on the same ports and data;
 * {@link #activeController()} and {@link #mostLeadingNode(String)} say which node to kill
 * for a given fault.</li>
 * <li>{@link #close()} stops every node; the nodes' JVMs also end with this one.</li>
 * </ul>
 */
public final class KafkaClusterProcess implements AutoCloseable {

	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(KafkaClusterProcess.class);

	private final KafkaQuorum quorum;

	private final Map<Integer, KafkaBrokerProcess> nodes;

	private KafkaClusterProcess(Builder builder) {
		int size = builder.nodes;
		// The first node's client port, when given, was chosen free earlier and is not
		// bound yet: no other port of the cluster may be it.
		List<Integer> ports = (builder.firstPort != 0) ? FreePorts.findOtherThan(2 * size, builder.firstPort)
				: FreePorts.find(2 * size);
		this.quorum = KafkaQuorum.of(ports.subList(size, 2 * size));
		List<Integer> clientPorts = new ArrayList<>(ports.subList(0, size));
		if (builder.firstPort != 0) {
			clientPorts.set(0, builder.firstPort);
		}
		Map<Integer, KafkaBrokerProcess> nodes = new LinkedHashMap<>();
		for (int id : this.quorum.controllerPorts().keySet()) {
			Path data = Objects.requireNonNull(builder.dataDirectory, "dataDirectory").resolve("node-" + id);
			Path output = Objects.requireNonNull(builder.outputDirectory, "outputDirectory")
				.resolve("kafka-broker-" + id + ".log");
			nodes.put(id,
					KafkaBrokerProcess.builder()
						.port(clientPorts.get(id - 1))
						.node(id, this.quorum)
						.logDirectory(data)
						.outputFile(output)
						.jvmOptions(builder.jvmOptions)
						.build());
		}
		this.nodes = Map.copyOf(nodes);
	}

	/**
	 * Returns a builder for a cluster of three nodes.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts every node at once and returns once each serves clients.
	 * @return this cluster
	 * @throws IllegalStateException naming the first node that could not start; the
	 * others are stopped
	 */
	public KafkaClusterProcess start() {
		long startedAt = System.nanoTime();
		try (ExecutorService starting = Executors.newVirtualThreadPerTaskExecutor()) {
			List<CompletableFuture<KafkaBrokerProcess>> started = nodes().stream()
				.map((node) -> CompletableFuture.supplyAsync(node::start, starting))
				.toList();
			for (CompletableFuture<KafkaBrokerProcess> node : started) {
				try {
					node.join();
				}
				catch (RuntimeException ex) {
					nodes().forEach(KafkaBrokerProcess::stop);
					throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
				}
			}
		}
		log.info("Kafka cluster of {} nodes ready on {} in {} ms", this.nodes.size(), bootstrapServers(),
				Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
		return this;
	}

	/** Every node, by id. */
	public List<KafkaBrokerProcess> nodes() {
		return this.nodes.values().stream().sorted(Comparator.comparingInt(KafkaBrokerProcess::nodeId)).toList();
	}

	/**
	 * One node.
	 * @throws IllegalArgumentException if the cluster has no such node
	 */
	public KafkaBrokerProcess node(int id) {
		KafkaBrokerProcess node = this.nodes.get(id);
		if (node == null) {
			throw new IllegalArgumentException("the cluster has no node " + id + "; it has " + this.nodes.keySet());
		}
		return node;
	}

	/** The cluster's ids and ports. */
	public KafkaQuorum quorum() {
		return this.quorum;
	}

	/**
	 * Returns the addresses clients bootstrap from: every node's.
	 * @return {@code 127.0.0.1:<port>,...}
	 */
	public String bootstrapServers() {
		return nodes().stream().map(KafkaBrokerProcess::bootstrapServers).collect(Collectors.joining(","));
	}

	/**
	 * Asks the cluster which node leads the controller quorum now.
	 * @throws IllegalStateException if the cluster does not answer in time
	 */
	public int activeController() {
		return admin((admin) -> admin.describeMetadataQuorum().quorumInfo().get().leaderId());
	}

	/**
	 * Asks the cluster which node leads the most partitions of a topic now (the lowest id
	 * among equals): the node whose loss moves the most of that topic's traffic.
	 * @throws IllegalStateException if the cluster does not answer in time or has no such
	 * topic
	 */
	public int mostLeadingNode(String topic) {
		return admin((admin) -> {
			TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
			Map<Integer, Long> led = description.partitions()
				.stream()
				.map(TopicPartitionInfo::leader)
				.filter(Objects::nonNull)
				.collect(Collectors.groupingBy((leader) -> leader.id(), Collectors.counting()));
			return led.entrySet()
				.stream()
				.max(Map.Entry.<Integer, Long>comparingByValue()
					.thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
				.map(Map.Entry::getKey)
				.orElseThrow(() -> new IllegalStateException("no partition of " + topic + " has a leader"));
		});
	}

	private <T> T admin(AdminCall<T> call) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()))) {
			return call.apply(admin);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException(
					"The Kafka cluster on " + bootstrapServers() + " did not answer: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while asking the Kafka cluster", ex);
		}
	}

	/**
	 * Stops every node, all at once: a node shuts down cleanly only while a majority of
	 * the controllers is there to take its partitions' leadership off it, so nodes
	 * stopped one after another leave the last one waiting alone until its stop timeout.
	 * Idempotent.
	 */
	@Override
	public void close() {
		try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
			nodes().forEach((node) -> stopping.execute(node::close));
		}
	}

	@Override
	public String toString() {
		return "KafkaClusterProcess[" + bootstrapServers() + "]";
	}

	@FunctionalInterface
	private interface AdminCall<T> {

		T apply(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;

	}

	/** Configures a {@link KafkaClusterProcess}. */
	public static final class Builder {

		private int nodes = 3;

		private int firstPort;

		private @Nullable Path dataDirectory;

		private @Nullable Path outputDirectory;

		private List<String> jvmOptions = List.of();

		private Builder() {
		}

		/**
		 * Starts every node's JVM with these options too
		 * ({@link KafkaBrokerProcess.Builder#jvmOptions(List)}).
		 * @param jvmOptions the options, none by default
		 * @return this builder
		 */
		public Builder jvmOptions(List<String> jvmOptions) {
			this.jvmOptions = List.copyOf(jvmOptions);
			return this;
		}

		/**
		 * Sets how many nodes the cluster has.
		 * @param nodes at least 1; 3 by default
		 * @return this builder
		 */
		public Builder nodes(int nodes) {
			if (nodes < 1) {
				throw new IllegalArgumentException("nodes must be at least 1, but was " + nodes);
			}
			this.nodes = nodes;
			return this;
		}

		/**
		 * Sets the client port of node 1; the others get free ports.
		 * @param port a TCP port, or 0 (the default) for a free one
		 * @return this builder
		 */
		public Builder firstPort(int port) {
			this.firstPort = port;
			return this;
		}

		/**
		 * Keeps each node's data in {@code node-<id>} under this directory.
		 * @param dataDirectory the directory, created if missing and never deleted
		 * @return this builder
		 */
		public Builder dataDirectory(Path dataDirectory) {
			this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory must not be null");
			return this;
		}

		/**
		 * Appends each node's output to {@code kafka-broker-<id>.log} in this directory.
		 * @param outputDirectory the directory
		 * @return this builder
		 */
		public Builder outputDirectory(Path outputDirectory) {
			this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory must not be null");
			return this;
		}

		/**
		 * Builds a cluster that is not started yet; its ports are chosen here.
		 * @return the cluster
		 * @throws NullPointerException if a directory is missing
		 */
		public KafkaClusterProcess build() {
			return new KafkaClusterProcess(this);
		}

	}

}
