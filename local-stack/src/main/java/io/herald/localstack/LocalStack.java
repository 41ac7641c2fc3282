package io.herald.localstack;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.herald.infra.FreePorts;
import io.herald.infra.KafkaBroker;
import io.herald.infra.KafkaBrokerProcess;
import io.herald.infra.KafkaClusterProcess;
import io.herald.infra.RedisServer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine: a Kafka broker inside this JVM (in a child JVM for
 * the chaos suite, {@link #runKafkaInChildProcess()}), a {@code redis-server} child
 * process and every {@link Service} as a child JVM, each told where Kafka and Redis are
 * through environment variables.
 *
 * <p>
 * Its public methods are the launcher's API for the system tests and the chaos suite
 * (module {@code system-tests}): start and stop a stack, find its parts, give its
 * services more settings, and break and restart them.
 *
 * <p>
 * {@link #start()} returns once every service answers its readiness probe.
 * {@link #close()} stops services first (SIGTERM, then a kill after {@link #STOP_GRACE}),
 * then Redis, then the broker, so no service loses its infrastructure while it shuts
 * down. Kafka and Redis data stay in the data directory for the next start.
 */
public final class LocalStack implements AutoCloseable {

	/**
	 * The file in the data directory that holds the launcher's pid while the warm-up
	 * runs: {@code ./platform bench} waits for it to go, so that a benchmark measures a
	 * warm stack, as one started after the warm-up always did.
	 */
	static final String WARMUP_RUNNING = "warmup.running";

	/**
	 * Partitions of the topics a new local stack's services create: one instance of each
	 * service runs, so more buy it nothing, and every partition is a log the broker opens
	 * at each start and a task routing restores.
	 */
	static final int LOCAL_PARTITIONS = 4;

	private static final String PARTITIONS_VARIABLE = "HERALD_KAFKA_PARTITIONS";

	/** A partition's log directory of the event log, {@code herald.events}. */
	private static final Pattern EVENT_LOG_PARTITION = Pattern.compile("herald\\.events-\\d+");

	/** How long a service gets to shut down gracefully before it is killed. */
	static final Duration STOP_GRACE = Duration.ofSeconds(20);

	private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

	private final LocalStackSettings settings;

	private final Path home;

	private final Path java;

	/** Guards the parts started so far against a concurrent {@link #close()}. */
	private final Object lock = new Object();

	private final List<ServiceProcess> services = new ArrayList<>();

	private final LocalInfrastructure infrastructure;

	private volatile @Nullable ProviderSandboxes sandboxes;

	/** The sandboxes' start, once {@link #start()} began it. */
	private volatile @Nullable CompletableFuture<Void> sandboxesStarted;

	/** The erasure of what an earlier start's warm-up left in Redis. */
	private volatile CompletableFuture<Void> leftoversErased = CompletableFuture.completedFuture(null);

	private volatile boolean stopping;

	private final Warmup warmup;

	private final ServiceEnvironment environment;

	/**
	 * How each service is started: with its AOT cache or from its jar; by service name.
	 */
	private final Map<String, AotCache.Launch> launches = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * A stack that is not started yet.
	 * @param settings ports, demo credentials and the data directory
	 * @param home the repository root, holding each service's {@code <module>/target}
	 * directory
	 */
	public LocalStack(LocalStackSettings settings, Path home) {
		this.settings = settings;
		this.home = home.toAbsolutePath().normalize();
		this.java = Path.of(System.getProperty("java.home"), "bin", "java");
		this.warmup = new Warmup(settings.warmup());
		this.infrastructure = new LocalInfrastructure(settings);
		this.environment = new ServiceEnvironment(settings, this.infrastructure, this.warmup);
	}

	/**
	 * Starts Kafka, Redis and every service, and waits until all services are ready. A
	 * {@link #close()} from another thread (Ctrl-C) makes it stop early with an
	 * exception.
	 * @throws LocalStackException if a port is taken, a jar is missing or a service fails
	 * to get ready
	 * @throws IllegalStateException if Kafka or Redis cannot start
	 */
	public void start() {
		checkPortsAreFree();
		// Resolved first, like the redis-server binary below: a missing jar fails before
		// anything starts.
		Map<Service, Path> jars = new LinkedHashMap<>();
		this.settings.services()
			.forEach((service) -> jars.put(service, ServiceProcess.findJar(this.home, service.module())));
		deleteQuietly(this.settings.dataDirectory().resolve(WARMUP_RUNNING));
		this.infrastructure.start(this::adopt);
		RedisServer redis = Objects.requireNonNull(this.infrastructure.redis());
		// The sandboxes start beside the services that do not need them: only delivery's
		// environment names them.
		this.sandboxesStarted = this.settings.runsDelivery()
				? CompletableFuture.runAsync(this::startSandboxes, Thread.ofPlatform().name("sandboxes-start")::start)
				: CompletableFuture.completedFuture(null);
		// What an earlier start's warm-up left behind, such as statuses that arrived
		// after it, erased beside the services' start: a scan of a large data directory's
		// keys takes seconds. This start's warm-up waits for it.
		this.leftoversErased = CompletableFuture.runAsync(() -> Warmup.eraseQuietly(redis.uri()),
				Thread.ofPlatform().name("warmup-leftovers").daemon()::start);
		topicPartitions(this.settings, System.getenv(PARTITIONS_VARIABLE))
			.ifPresent((partitions) -> this.settings.services()
				.forEach((service) -> this.environment.add(service.name(), Map.of(PARTITIONS_VARIABLE, partitions))));
		prepareLaunches(jars);
		for (Service service : this.settings.services()) {
			Path logFile = this.settings.logDirectory().resolve(service.module() + ".log");
			ServiceProcess process = ServiceProcess.start(service, this.java, launch(service),
					serviceEnvironment(service), logFile);
			adopt(() -> this.services.add(process), () -> {
				process.requestStop();
				process.awaitStop(STOP_GRACE);
			});
			log.info("Started {} (pid {}) on port {} (management {}), log in {}", service.module(), process.pid(),
					service.port(), service.managementPort(), logFile);
		}
		awaitReady(this.settings.readinessTimeout(), true);
	}

	/**
	 * Warms the ready stack up on a thread of its own ({@link Warmup}), so that
	 * {@code READY} does not wait for it; the warm-up ends early when the stack stops or
	 * another tenant's load arrives. Does nothing for a stack without a warm-up (the
	 * tests' and the chaos suite's).
	 * @return the warm-up's thread, a daemon
	 */
	Thread warmUpInBackground() {
		String redisUri = Objects.requireNonNull(this.infrastructure.redis()).uri();
		Path running = this.settings.dataDirectory().resolve(WARMUP_RUNNING);
		return Thread.ofPlatform().name("local-stack-warmup").daemon().start(() -> {
			if (this.warmup.runs(this.settings.services())) {
				whileMarked(running, after(this.leftoversErased,
						() -> this.warmup.run(this.settings.services(), redisUri, () -> this.stopping)));
			}
		});
	}

	/**
	 * {@code work}, run once {@code first} completed, however it completed: the warm-up
	 * after the erasure of an earlier warm-up's keys, which would otherwise erase the new
	 * warm-up's keys too (the tenant and its users are the same at every start).
	 */
	static Runnable after(CompletableFuture<?> first, Runnable work) {
		return () -> {
			first.exceptionally((ex) -> null).join();
			work.run();
		};
	}

	/**
	 * Runs {@code work} with this process's pid in {@code marker}, which is gone once it
	 * ended, however it ended; a marker that cannot be written is logged and the work
	 * runs anyway.
	 */
	static void whileMarked(Path marker, Runnable work) {
		try {
			Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
		}
		catch (IOException ex) {
			log.warn("Could not write {}: {}", marker, ex.toString());
		}
		try {
			work.run();
		}
		finally {
			deleteQuietly(marker);
		}
	}

	/**
	 * The partitions a long-lived stack with one broker (the one {@code ./platform up}
	 * runs) gives its services' topics: as many as the data directory's event log has,
	 * since topics keep the count they were made with, or {@link #LOCAL_PARTITIONS} for a
	 * new one. Nothing when the launcher's environment names a count (the services get it
	 * from there), and for the stacks of tests and chaos runs and Kafka clusters, which
	 * choose their own.
	 * @param fromEnvironment the launcher's {@code HERALD_KAFKA_PARTITIONS}, if set
	 */
	static Optional<String> topicPartitions(LocalStackSettings settings, @Nullable String fromEnvironment) {
		if (settings.shortLived() || settings.kafkaBrokers() > 1
				|| (fromEnvironment != null && !fromEnvironment.isBlank())) {
			return Optional.empty();
		}
		long existing;
		try (Stream<Path> logs = Files.list(settings.kafkaDirectory())) {
			existing = logs.filter((log) -> EVENT_LOG_PARTITION.matcher(log.getFileName().toString()).matches())
				.count();
		}
		catch (IOException ex) {
			existing = 0;
		}
		return Optional.of(Long.toString((existing > 0) ? existing : LOCAL_PARTITIONS));
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			log.debug("Could not delete {}: {}", file, ex.toString());
		}
	}

	private void startSandboxes() {
		ProviderSandboxes sandboxes = new ProviderSandboxes(this.settings.sandboxPort(),
				this.settings.sandboxDirectory());
		adopt(() -> this.sandboxes = sandboxes, sandboxes::close);
		log.info("Started the provider sandboxes (SMTP, Twilio, APNs, FCM); what they receive: {}", sandboxes.url());
	}

	/**
	 * Waits for the sandboxes' start, if they start, and fails as it failed.
	 */
	private void awaitSandboxes() {
		CompletableFuture<Void> started = this.sandboxesStarted;
		if (started == null) {
			return;
		}
		try {
			started.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	/**
	 * Decides how each service starts: from its AOT cache, as the training run that
	 * writes it if this build has none yet, or from its jar if the cache is off
	 * ({@link AotCache}); the jars are extracted in parallel.
	 */
	private void prepareLaunches(Map<Service, Path> jars) {
		AotCache cache = AotCache.forThisJvm();
		try (ExecutorService extraction = Executors.newVirtualThreadPerTaskExecutor()) {
			jars.forEach((service, jar) -> {
				if (!this.settings.aotCache()) {
					this.launches.put(service.name(), AotCache.Launch.plain(jar));
					return;
				}
				Path extractLog = this.settings.logDirectory().resolve(service.module() + "-aot.log");
				extraction.execute(() -> this.launches.put(service.name(), cache.prepare(jar, extractLog)));
			});
		}
		List<String> training = this.settings.services()
			.stream()
			.filter((service) -> this.launches.get(service.name()) instanceof AotCache.Launch launch
					&& launch.training() != null)
			.map(Service::module)
			.toList();
		if (!training.isEmpty()) {
			log.info("No AOT cache of this build yet for {}: they start without one and write it when the stack "
					+ "stops (once per build, about a minute more at that stop)", training);
		}
	}

	/**
	 * How a service starts: as {@link #prepareLaunches} decided (from its jar if it was
	 * not started before), with the stack's JVM options first.
	 */
	private AotCache.Launch launch(Service service) {
		return this.launches
			.computeIfAbsent(service.name(),
					(key) -> AotCache.Launch.plain(ServiceProcess.findJar(this.home, service.module())))
			.withOptions(this.settings.serviceJvmOptions());
	}

	/**
	 * Waits until every running service answers ready, for at most {@code timeout}.
	 * @throws LocalStackException naming the first service that was not ready in time
	 */
	public void awaitReady(Duration timeout) {
		awaitReady(timeout, false);
	}

	private void awaitReady(Duration timeout, boolean announce) {
		Instant deadline = Instant.now().plus(timeout);
		List<ServiceProcess> running;
		synchronized (this.lock) {
			running = List.copyOf(this.services);
		}
		try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
			for (ServiceProcess service : running) {
				service.awaitReady(http, deadline);
				if (announce) {
					log.info("{} is ready at {}", service.service().module(), service.service().url());
				}
			}
		}
	}

	/**
	 * Hands a started part to the stack so that {@link #close()} stops it; if the stack
	 * is already stopping, stops the part at once instead.
	 */
	private void adopt(Runnable keep, Runnable stop) {
		synchronized (this.lock) {
			if (!this.stopping) {
				keep.run();
				return;
			}
		}
		stop.run();
		throw new LocalStackException("Stopped while starting");
	}

	/**
	 * The environment a service starts with ({@link ServiceEnvironment}); delivery's,
	 * which names the sandboxes, once they started.
	 */
	Map<String, String> serviceEnvironment(Service service) {
		if (service.name().equals("delivery")) {
			awaitSandboxes();
		}
		return this.environment.of(service, this.sandboxes);
	}

	/**
	 * The one line that tells scripts and people the stack is up, for example
	 * {@code READY ingestion=http://127.0.0.1:8080 kafka=127.0.0.1:19092 redis=127.0.0.1:16379
	 * ingestion-management=http://127.0.0.1:9080 logs=./data/logs} (one line), with
	 * {@code sandbox=http://127.0.0.1:8090} before {@code logs} when the provider
	 * sandboxes run. The {@code -management} URLs serve {@code /actuator/...}; the API
	 * URLs do not.
	 */
	public String readyLine() {
		String services = this.settings.services()
			.stream()
			.map((service) -> service.name() + "=" + service.url() + " ")
			.collect(Collectors.joining());
		String management = this.settings.services()
			.stream()
			.map((service) -> " " + service.name() + "-management=" + service.managementUrl())
			.collect(Collectors.joining());
		ProviderSandboxes sandboxes = this.sandboxes;
		String sandbox = (sandboxes != null) ? " sandbox=" + sandboxes.url() : "";
		return "READY " + services + "kafka=" + kafkaBootstrapServers() + " redis=127.0.0.1:"
				+ this.settings.redisPort() + management + sandbox + " logs=" + this.settings.logDirectory();
	}

	/** What to try once the stack is ready ({@link DemoHints}). */
	String hint() {
		ProviderSandboxes sandboxes = this.sandboxes;
		return new DemoHints(this.settings, (sandboxes != null) ? sandboxes.url() : null, operatorToken()).text();
	}

	/**
	 * Completes with the first service that exits while the stack is not stopping; never
	 * completes if no service runs.
	 */
	CompletableFuture<ServiceProcess> unexpectedExit() {
		CompletableFuture<ServiceProcess> first = new CompletableFuture<>();
		List<ServiceProcess> services;
		synchronized (this.lock) {
			services = List.copyOf(this.services);
		}
		for (ServiceProcess service : services) {
			service.onExit().thenAccept((exited) -> {
				if (!this.stopping) {
					first.complete(exited);
				}
			});
		}
		return first;
	}

	/**
	 * Stops services, then Redis, then Kafka. Idempotent; safe to call from a shutdown
	 * hook.
	 */
	@Override
	public void close() {
		List<ServiceProcess> services;
		synchronized (this.lock) {
			if (this.stopping) {
				return;
			}
			this.stopping = true;
			services = List.copyOf(this.services);
		}
		if (!services.isEmpty()) {
			log.info("Stopping {}", services.stream().map((s) -> s.service().module()).toList());
			if (services.stream().anyMatch(ServiceProcess::trainsAotCache)) {
				log.info("Writing the services' AOT caches before they exit (once per build, up to a minute)");
			}
			// Signal every service first so that they shut down in parallel.
			services.forEach(ServiceProcess::requestStop);
			for (ServiceProcess service : services) {
				if (!service.awaitStop(STOP_GRACE)) {
					log.warn("{} did not stop within {} s and was killed", service.service().module(),
							STOP_GRACE.toSeconds());
				}
			}
		}
		ProviderSandboxes sandboxes = this.sandboxes;
		if (sandboxes != null) {
			sandboxes.close();
		}
		this.infrastructure.close();
		log.info("Local stack stopped");
	}

	/** Tells whether {@link #close()} has begun. */
	boolean isStopping() {
		return this.stopping;
	}

	/** The settings the stack runs with. */
	public LocalStackSettings settings() {
		return this.settings;
	}

	/**
	 * The base URL of a service of the stack.
	 * @throws LocalStackException if the stack does not run the service
	 */
	public String serviceUrl(String name) {
		return this.settings.service(name).url();
	}

	/** The broker in this JVM, if it runs one; for tests. */
	@Nullable KafkaBroker kafka() {
		return this.infrastructure.kafka();
	}

	/**
	 * The broker's child JVM, when {@link #runKafkaInChildProcess()} was chosen; for the
	 * chaos suite.
	 */
	public @Nullable KafkaBrokerProcess kafkaProcess() {
		return this.infrastructure.kafkaProcess();
	}

	/** The Kafka nodes, when the settings ask for more than one; for the chaos suite. */
	public @Nullable KafkaClusterProcess kafkaCluster() {
		return this.infrastructure.kafkaCluster();
	}

	/**
	 * Where clients bootstrap from: the single broker, or every node of the cluster once
	 * it started.
	 */
	public String kafkaBootstrapServers() {
		return this.infrastructure.kafkaBootstrapServers();
	}

	/**
	 * Runs the broker in a child JVM of its own instead of this one, so that it can be
	 * killed with SIGKILL; call before {@link #start()}. {@link #kafkaProcess()} is then
	 * that JVM. For the chaos suite: an in-process broker starts faster and costs no
	 * second JVM.
	 */
	public void runKafkaInChildProcess() {
		this.infrastructure.runKafkaInChildProcess();
	}

	/**
	 * Runs Redis as a primary with a replica behind one endpoint on the settings' Redis
	 * port, as a managed Redis does, and has the services wait for the replica (inbox
	 * appends, idempotency claims: docs/adr/021); call before {@link #start()}.
	 * {@link #failOverRedis()} then fails over. For the chaos suite.
	 */
	public void runRedisWithReplica() {
		this.infrastructure.runRedisWithReplica();
	}

	/** The primary's replica, with {@link #runRedisWithReplica()}. */
	public @Nullable RedisServer redisReplica() {
		return this.infrastructure.redisReplica();
	}

	/**
	 * Fails Redis over to its replica, as Sentinel or a managed Redis does: the primary
	 * dies (SIGKILL), the replica is promoted, the endpoint forwards to it, and the old
	 * primary comes back, empty, as its replica.
	 * @return the pid of the killed primary
	 * @throws IllegalStateException without {@link #runRedisWithReplica()}
	 */
	public long failOverRedis() {
		return this.infrastructure.failOverRedis();
	}

	/**
	 * The running process of a service, or {@code null} if the stack runs no such
	 * service.
	 */
	public @Nullable ServiceProcess process(String name) {
		synchronized (this.lock) {
			return this.services.stream()
				.filter((process) -> process.service().name().equals(name))
				.findFirst()
				.orElse(null);
		}
	}

	/**
	 * Adds settings to a service's environment for its next start, over those added
	 * before; for tests.
	 */
	public void environment(String service, Map<String, String> settings) {
		this.environment.add(service, settings);
	}

	/**
	 * Gives every service a tenant besides the demo tenant, with its own API key and
	 * user-token secret, from its next start; for tests.
	 */
	public void addTenant(String tenant, String apiKey, String jwtSecret) {
		this.environment.addTenant(tenant, apiKey, jwtSecret);
	}

	/**
	 * Kills a running service at once (SIGKILL), as a crash would, and starts it again,
	 * without waiting for it to be ready; for tests.
	 * @return the new process
	 */
	public ServiceProcess crashAndRestart(String name) {
		ServiceProcess crashed;
		synchronized (this.lock) {
			crashed = this.services.stream()
				.filter((process) -> process.service().name().equals(name))
				.findFirst()
				.orElseThrow(() -> new LocalStackException("No service '" + name + "' runs"));
			this.services.remove(crashed);
		}
		ProcessHandle.of(crashed.pid()).ifPresent(ProcessHandle::destroyForcibly);
		crashed.onExit().join();
		crashed.discardAotTraining();
		Service service = crashed.service();
		ServiceProcess restarted = ServiceProcess.start(service, this.java, launch(service),
				serviceEnvironment(service), this.settings.logDirectory().resolve(service.module() + "-restarted.log"));
		adopt(() -> this.services.add(restarted), () -> {
			restarted.requestStop();
			restarted.awaitStop(STOP_GRACE);
		});
		log.info("Crashed {} (pid {}) and started it again (pid {})", service.module(), crashed.pid(), restarted.pid());
		return restarted;
	}

	/** The running provider sandboxes, if the delivery service runs; for tests. */
	public @Nullable ProviderSandboxes sandboxes() {
		return this.sandboxes;
	}

	/** The running Redis server, the primary if it has a replica; for tests. */
	public @Nullable RedisServer redis() {
		return this.infrastructure.redis();
	}

	private void checkPortsAreFree() {
		Map<String, Integer> ports = new LinkedHashMap<>();
		ports.put("HERALD_KAFKA_PORT", this.settings.kafkaPort());
		ports.put("HERALD_REDIS_PORT", this.settings.redisPort());
		this.settings.services().forEach((service) -> {
			ports.put(service.portVariable(), service.port());
			ports.put(service.managementPortVariable(), service.managementPort());
		});
		if (this.settings.runsDelivery() && this.settings.sandboxPort() != 0) {
			ports.put("HERALD_SANDBOX_PORT", this.settings.sandboxPort());
		}
		ports.forEach((variable, port) -> {
			if (!FreePorts.isFree(port)) {
				throw new LocalStackException("Port " + port + " (" + variable + ") is already in use: stop what "
						+ "uses it (another ./platform up?) or set " + variable + " to another port");
			}
		});
	}

	/**
	 * The operator token of this run: {@code Authorization: Bearer <token>} on the
	 * management ports.
	 */
	String operatorToken() {
		return this.environment.operatorToken();
	}

	/** The routing instances' shared token of this run. */
	String internalToken() {
		return this.environment.internalToken();
	}

	/** The gateway's token for routing's preferences endpoint in this run. */
	String preferencesToken() {
		return this.environment.preferencesToken();
	}

}
