package io.herald.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.herald.infra.FreePorts;
import io.herald.infra.KafkaBroker;
import io.herald.infra.KafkaBrokerProcess;
import io.herald.infra.KafkaClusterProcess;
import io.herald.infra.RedisServer;
import io.herald.infra.TcpProxy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's Kafka and Redis, in the shape the settings and the chaos suite ask for: one
 * broker inside this JVM, one broker in a child JVM ({@link #runKafkaInChildProcess()})
 * or a cluster of nodes, each in a child JVM; one {@code redis-server}, or a primary with
 * a replica behind one endpoint ({@link #runRedisWithReplica()}).
 *
 * <p>
 * Contract:
 * <ul>
 * <li>{@link #start(BiConsumer)} starts Kafka, then Redis, and hands each part to the
 * given adopter as soon as it exists, so that a concurrent stop of the stack can stop it;
 * it fails before anything starts if {@code redis-server} is missing.</li>
 * <li>{@link #close()} stops Redis, then Kafka. Their data stay in the data
 * directory.</li>
 * <li>{@link #failOverRedis()} moves the endpoint to the replica; the addresses services
 * use never change.</li>
 * </ul>
 */
final class LocalInfrastructure implements AutoCloseable {

	/** How long a Redis replica gets to copy its primary. */
	static final Duration REPLICA_SYNC_TIMEOUT = Duration.ofSeconds(60);

	private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);

	private final LocalStackSettings settings;

	private volatile @Nullable KafkaBroker kafka;

	/** The broker when it runs in a child JVM ({@link #runKafkaInChildProcess()}). */
	private volatile @Nullable KafkaBrokerProcess kafkaProcess;

	private volatile boolean kafkaInChildProcess;

	/** The Kafka nodes when the settings ask for more than one, each in a child JVM. */
	private volatile @Nullable KafkaClusterProcess kafkaCluster;

	/**
	 * The Redis primary; with {@link #runRedisWithReplica()}, the one its endpoint
	 * forwards to.
	 */
	private volatile @Nullable RedisServer redis;

	private volatile boolean redisWithReplica;

	/** With {@link #runRedisWithReplica()}: the primary's replica. */
	private volatile @Nullable RedisServer redisReplica;

	/**
	 * With {@link #runRedisWithReplica()}: the address services use, forwarding to the
	 * primary.
	 */
	private volatile @Nullable TcpProxy redisEndpoint;

	/** Which of the two Redis directories ({@code a}, {@code b}) the primary's is. */
	private volatile String redisPrimarySide = "a";

	LocalInfrastructure(LocalStackSettings settings) {
		this.settings = settings;
	}

	/**
	 * Starts Kafka and Redis.
	 * @param adopt called with each part once it exists, before it starts: the first
	 * action keeps it, so that {@link #close()} stops it; if the stack is already
	 * stopping, the adopter runs the second action, which stops the part, and throws
	 * instead
	 * @throws IllegalStateException if Kafka or Redis cannot start
	 */
	void start(BiConsumer<Runnable, Runnable> adopt) {
		log.info("Starting Kafka ({}) on 127.0.0.1:{} and Redis on 127.0.0.1:{}, data in {}",
				(this.settings.kafkaBrokers() > 1) ? this.settings.kafkaBrokers() + " nodes, the first" : "one broker",
				this.settings.kafkaPort(), this.settings.redisPort(), this.settings.dataDirectory());
		// Built before Kafka starts, so that a missing redis-server fails first. With a
		// replica, the servers' ports are chosen only once Kafka's nodes hold theirs.
		RedisServer single = this.redisWithReplica ? null
				: redisServer(this.settings.redisPort(), this.settings.redisDirectory(), "redis-server.log");
		startKafka(adopt);
		RedisServer redis = (single != null) ? single
				: redisServer(FreePorts.find(), this.settings.redisDirectory().resolve("a"), "redis-server-a.log");
		adopt.accept(() -> this.redis = redis, redis::close);
		redis.start();
		if (this.redisWithReplica) {
			RedisServer replica = replicaOf(redis, FreePorts.find(), "b");
			adopt.accept(() -> this.redisReplica = replica, replica::close);
			replica.start().awaitReplicaInSync(REPLICA_SYNC_TIMEOUT);
			TcpProxy endpoint = new TcpProxy(this.settings.redisPort(), redis.port());
			adopt.accept(() -> this.redisEndpoint = endpoint, endpoint::close);
			log.info("Redis primary on port {} with a replica on port {}, both behind 127.0.0.1:{}", redis.port(),
					replica.port(), endpoint.port());
		}
	}

	private void startKafka(BiConsumer<Runnable, Runnable> adopt) {
		if (this.settings.kafkaBrokers() > 1) {
			KafkaClusterProcess cluster = KafkaClusterProcess.builder()
				.nodes(this.settings.kafkaBrokers())
				.firstPort(this.settings.kafkaPort())
				.dataDirectory(this.settings.kafkaClusterDirectory())
				.outputDirectory(this.settings.logDirectory())
				.jvmOptions(this.settings.brokerJvmOptions())
				.build();
			adopt.accept(() -> this.kafkaCluster = cluster, cluster::close);
			cluster.start();
		}
		else if (this.kafkaInChildProcess) {
			KafkaBrokerProcess kafka = KafkaBrokerProcess.builder()
				.port(this.settings.kafkaPort())
				.logDirectory(this.settings.kafkaDirectory())
				.outputFile(this.settings.logDirectory().resolve("kafka-broker.log"))
				.jvmOptions(this.settings.brokerJvmOptions())
				.build();
			adopt.accept(() -> this.kafkaProcess = kafka, kafka::close);
			kafka.start();
		}
		else {
			KafkaBroker kafka = KafkaBroker.builder()
				.port(this.settings.kafkaPort())
				.logDirectory(this.settings.kafkaDirectory())
				.build();
			adopt.accept(() -> this.kafka = kafka, kafka::close);
			kafka.start();
		}
	}

	/** Stops Redis (endpoint, replica, primary), then Kafka. Idempotent. */
	@Override
	public void close() {
		closeIfPresent(this.redisEndpoint, TcpProxy::close);
		closeIfPresent(this.redisReplica, RedisServer::close);
		closeIfPresent(this.redis, RedisServer::close);
		closeIfPresent(this.kafka, KafkaBroker::close);
		closeIfPresent(this.kafkaProcess, KafkaBrokerProcess::close);
		closeIfPresent(this.kafkaCluster, KafkaClusterProcess::close);
	}

	private static <T> void closeIfPresent(@Nullable T part, Consumer<T> close) {
		if (part != null) {
			close.accept(part);
		}
	}

	/**
	 * Runs the broker in a child JVM of its own instead of this one, so that it can be
	 * killed with SIGKILL; call before {@link #start(BiConsumer)}. {@link #kafka()} is
	 * then {@code null}.
	 */
	void runKafkaInChildProcess() {
		this.kafkaInChildProcess = true;
	}

	/**
	 * Runs Redis as a primary with a replica behind one endpoint on the settings' Redis
	 * port, as a managed Redis does; call before {@link #start(BiConsumer)}.
	 */
	void runRedisWithReplica() {
		this.redisWithReplica = true;
	}

	/** Tells whether Redis runs as a primary with a replica. */
	boolean redisHasReplica() {
		return this.redisWithReplica;
	}

	/**
	 * A failover, as Sentinel or a managed Redis does it: the primary dies (SIGKILL), its
	 * replica is promoted with whatever it had, the endpoint forwards to it and closes
	 * every open connection, and the old primary comes back, empty, as the new primary's
	 * replica.
	 * @return the pid of the killed primary
	 * @throws IllegalStateException without {@link #runRedisWithReplica()}
	 */
	synchronized long failOverRedis() {
		RedisServer primary = this.redis;
		RedisServer replica = this.redisReplica;
		TcpProxy endpoint = this.redisEndpoint;
		if (primary == null || replica == null || endpoint == null) {
			throw new IllegalStateException("the stack runs no Redis replica");
		}
		long killed = primary.pid();
		replica.takeOverFrom(primary);
		endpoint.retarget(replica.port());
		primary.close();
		String side = this.redisPrimarySide;
		this.redisPrimarySide = side.equals("a") ? "b" : "a";
		RedisServer rejoined = replicaOf(replica, primary.port(), side);
		this.redis = replica;
		this.redisReplica = rejoined;
		rejoined.start().awaitReplicaInSync(REPLICA_SYNC_TIMEOUT);
		log.info("Redis failed over: primary on port {} (pid {}), replica on port {} (pid {})", replica.port(),
				replica.pid(), rejoined.port(), rejoined.pid());
		return killed;
	}

	/**
	 * Where clients bootstrap from: the single broker, or every node of the cluster once
	 * it started.
	 */
	String kafkaBootstrapServers() {
		KafkaClusterProcess cluster = this.kafkaCluster;
		return (cluster != null) ? cluster.bootstrapServers() : "127.0.0.1:" + this.settings.kafkaPort();
	}

	@Nullable KafkaBroker kafka() {
		return this.kafka;
	}

	@Nullable KafkaBrokerProcess kafkaProcess() {
		return this.kafkaProcess;
	}

	@Nullable KafkaClusterProcess kafkaCluster() {
		return this.kafkaCluster;
	}

	@Nullable RedisServer redis() {
		return this.redis;
	}

	@Nullable RedisServer redisReplica() {
		return this.redisReplica;
	}

	private RedisServer redisServer(int port, Path directory, String logFile) {
		return RedisServer.builder()
			.port(port)
			.dataDirectory(directory)
			.logFile(this.settings.logDirectory().resolve(logFile))
			// Closed by close(), after the services that use it.
			.destroyOnJvmExit(false)
			.build();
	}

	private RedisServer replicaOf(RedisServer primary, int port, String side) {
		return RedisServer.builder()
			.port(port)
			.dataDirectory(this.settings.redisDirectory().resolve(side))
			.logFile(this.settings.logDirectory().resolve("redis-server-" + side + ".log"))
			.replicaOf(primary.port())
			.destroyOnJvmExit(false)
			.build();
	}

}
