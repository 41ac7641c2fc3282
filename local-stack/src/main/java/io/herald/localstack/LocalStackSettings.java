package io.herald.localstack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.herald.infra.FreePorts;
import io.herald.loaddriver.Arguments;
import io.herald.loaddriver.DemoAccount;

/**
 * Everything the local stack needs to know, read from the environment variables
 * documented in API.md section 5, with their defaults.
 *
 * @param kafkaPort the broker's client port ({@code HERALD_KAFKA_PORT}, default
 * {@value #DEFAULT_KAFKA_PORT})
 * @param redisPort the Redis port ({@code HERALD_REDIS_PORT}, default
 * {@value #DEFAULT_REDIS_PORT})
 * @param demoTenant the tenant the demo API key belongs to ({@code HERALD_DEMO_TENANT})
 * @param demoApiKey the demo API key in clear; services only receive its SHA-256
 * ({@code HERALD_DEMO_API_KEY})
 * @param demoJwtSecret the HS256 secret for demo user tokens, at least 32 bytes
 * ({@code HERALD_DEMO_JWT_SECRET})
 * @param dataDirectory holds Kafka and Redis data and the logs, kept across restarts
 * ({@code HERALD_DATA_DIR})
 * @param services the services to run, with their API and management ports
 * ({@code HERALD_SERVICES} selects them, default all)
 * @param readinessTimeout how long every service gets to report ready
 * @param sandboxPort the page of the provider sandboxes ({@code HERALD_SANDBOX_PORT},
 * default {@value #DEFAULT_SANDBOX_PORT}, {@code 0} for a free port); the sandboxes run
 * with the delivery service
 * @param warmup how long the stack drives its own load through the services before it
 * says {@code READY} ({@code HERALD_WARMUP}, default 30s, {@code 0} for none; see
 * {@link Warmup})
 * @param aotCache whether services start from a JDK AOT cache, written by a build's first
 * run on JDK 25+ ({@code HERALD_AOT_CACHE}, {@code on} by default or {@code off}; see
 * {@link AotCache})
 * @param kafkaBrokers how many Kafka nodes run ({@code HERALD_KAFKA_BROKERS}, 1 by
 * default): one broker in this JVM, or from 2 to {@value #MAX_KAFKA_BROKERS} nodes in
 * JVMs of their own, three of them keeping three copies of every partition, two in sync
 * ({@code KafkaClusterProcess})
 * @param shortLived whether the stack lives for a test or a chaos run, minutes at most:
 * its services then compile with C1 alone ({@link #serviceJvmOptions()}), whose code is
 * fast enough for such a run, and do not spend the cores the run needs on C2 compiling
 * code that is run a few thousand times; {@code false} for {@code ./platform up}, whose
 * services run as in production
 */
public record LocalStackSettings(int kafkaPort, int redisPort, String demoTenant, String demoApiKey,
		String demoJwtSecret, Path dataDirectory, List<Service> services, Duration readinessTimeout, int sandboxPort,
		Duration warmup, boolean aotCache, int kafkaBrokers, boolean shortLived) {

	/**
	 * The JVM options of a short-lived stack's services: the JIT stops at C1 (tier 1,
	 * compiled without profiling).
	 */
	static final List<String> SHORT_LIVED_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

	/**
	 * The JVM options of a short-lived stack's Kafka brokers when they run in processes
	 * of their own (the chaos suites): C1 alone, and the serial collector, which keeps no
	 * GC threads of its own beside a broker's heap of 512 MB.
	 */
	static final List<String> SHORT_LIVED_BROKER_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

	/** The most Kafka nodes a local stack runs. */
	static final int MAX_KAFKA_BROKERS = 5;

	/** What {@code HERALD_WARMUP} is when unset. */
	static final Duration DEFAULT_WARMUP = Duration.ofSeconds(30);

	static final int DEFAULT_SANDBOX_PORT = 8090;

	static final int DEFAULT_KAFKA_PORT = 19092;

	static final int DEFAULT_REDIS_PORT = 16379;

	static final String DEFAULT_DEMO_TENANT = DemoAccount.TENANT;

	static final String DEFAULT_DEMO_API_KEY = DemoAccount.API_KEY;

	static final String DEFAULT_DEMO_JWT_SECRET = DemoAccount.JWT_SECRET;

	/** HS256 needs a key of at least 256 bits (RFC 7518, section 3.2). */
	static final int MIN_JWT_SECRET_BYTES = 32;

	/** A cold Spring Boot service on a busy laptop starts in well under this. */
	static final Duration DEFAULT_READINESS_TIMEOUT = Duration.ofSeconds(120);

	/**
	 * Value of {@code HERALD_SERVICES} that runs Kafka and Redis only, to run a service
	 * from an IDE.
	 */
	static final String NO_SERVICES = "none";

	public LocalStackSettings {
		checkPort(kafkaPort, "HERALD_KAFKA_PORT");
		checkPort(redisPort, "HERALD_REDIS_PORT");
		requireText(demoTenant, "HERALD_DEMO_TENANT");
		requireText(demoApiKey, "HERALD_DEMO_API_KEY");
		requireText(demoJwtSecret, "HERALD_DEMO_JWT_SECRET");
		if (demoJwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_JWT_SECRET_BYTES) {
			throw new IllegalArgumentException(
					"HERALD_DEMO_JWT_SECRET must be at least " + MIN_JWT_SECRET_BYTES + " bytes long for HS256");
		}
		dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath().normalize();
		services = List.copyOf(services);
		services.forEach((service) -> {
			checkPort(service.port(), service.portVariable());
			checkPort(service.managementPort(), service.managementPortVariable());
		});
		checkDistinctPorts(kafkaPort, redisPort, services);
		if (readinessTimeout.isNegative() || readinessTimeout.isZero()) {
			throw new IllegalArgumentException("readinessTimeout must be positive, but was " + readinessTimeout);
		}
		if (sandboxPort != 0) {
			checkPort(sandboxPort, "HERALD_SANDBOX_PORT");
		}
		if (warmup.isNegative()) {
			throw new IllegalArgumentException("HERALD_WARMUP must not be negative, but was " + warmup);
		}
		if (kafkaBrokers < 1 || kafkaBrokers > MAX_KAFKA_BROKERS) {
			throw new IllegalArgumentException(
					"HERALD_KAFKA_BROKERS must be between 1 and " + MAX_KAFKA_BROKERS + ", but was " + kafkaBrokers);
		}
	}

	/**
	 * Settings of a short-lived stack without warm-up or AOT cache, as this module's
	 * tests start stacks: they measure no latency.
	 */
	LocalStackSettings(int kafkaPort, int redisPort, String demoTenant, String demoApiKey, String demoJwtSecret,
			Path dataDirectory, List<Service> services, Duration readinessTimeout, int sandboxPort) {
		this(kafkaPort, redisPort, demoTenant, demoApiKey, demoJwtSecret, dataDirectory, services, readinessTimeout,
				sandboxPort, Duration.ZERO, false, 1, true);
	}

	/** Settings whose sandbox page, if the delivery service runs, takes a free port. */
	LocalStackSettings(int kafkaPort, int redisPort, String demoTenant, String demoApiKey, String demoJwtSecret,
			Path dataDirectory, List<Service> services, Duration readinessTimeout) {
		this(kafkaPort, redisPort, demoTenant, demoApiKey, demoJwtSecret, dataDirectory, services, readinessTimeout, 0);
	}

	/**
	 * Settings of a stack for tests and the chaos suite, so that it never disturbs
	 * another stack: Kafka, Redis, the sandbox page and the named services (API and
	 * management ports) each on a free port, the demo tenant with the default
	 * credentials, no warm-up, short-lived: the services compile with C1 alone, and start
	 * from their AOT caches ({@link AotCache}), which the first such stack of a build
	 * writes when it is closed and every later one starts from.
	 * @param dataDirectory where Kafka, Redis and the logs keep their files
	 * @param readinessTimeout how long every service gets to report ready
	 * @param kafkaBrokers how many Kafka nodes run, from 1 to {@value #MAX_KAFKA_BROKERS}
	 * @param services names of the services to run ({@code ingestion}, {@code routing},
	 * {@code gateway}, {@code delivery})
	 * @return validated settings
	 * @throws IllegalArgumentException if a service name is unknown
	 */
	public static LocalStackSettings onFreePorts(Path dataDirectory, Duration readinessTimeout, int kafkaBrokers,
			List<String> services) {
		List<Integer> ports = FreePorts.find(2 + 2 * services.size());
		List<Service> chosen = new ArrayList<>();
		for (int i = 0; i < services.size(); i++) {
			String name = services.get(i);
			Service service = Service.ALL.stream()
				.filter((candidate) -> candidate.name().equals(name))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("No service '" + name + "'"));
			chosen.add(service.withPorts(ports.get(2 + 2 * i), ports.get(3 + 2 * i)));
		}
		return new LocalStackSettings(ports.get(0), ports.get(1), DEFAULT_DEMO_TENANT, DEFAULT_DEMO_API_KEY,
				DEFAULT_DEMO_JWT_SECRET, dataDirectory, chosen, readinessTimeout, 0, Duration.ZERO, true, kafkaBrokers,
				true);
	}

	/**
	 * Reads the settings from environment variables, using the default of every variable
	 * that is unset or empty.
	 * @param environment the environment, usually {@link System#getenv()}
	 * @param home the repository root, where the default data directory {@code data}
	 * lives
	 * @param workingDirectory resolves a relative {@code HERALD_DATA_DIR}
	 * @return validated settings
	 * @throws IllegalArgumentException naming the variable with an invalid value
	 */
	static LocalStackSettings fromEnvironment(Map<String, String> environment, Path home, Path workingDirectory) {
		Map<String, String> env = new HashMap<>();
		environment.forEach((name, value) -> {
			if (!value.isBlank()) {
				env.put(name, value.strip());
			}
		});
		String dataDirectory = env.get("HERALD_DATA_DIR");
		return new LocalStackSettings(port(env, "HERALD_KAFKA_PORT", DEFAULT_KAFKA_PORT),
				port(env, "HERALD_REDIS_PORT", DEFAULT_REDIS_PORT),
				env.getOrDefault("HERALD_DEMO_TENANT", DEFAULT_DEMO_TENANT),
				env.getOrDefault("HERALD_DEMO_API_KEY", DEFAULT_DEMO_API_KEY),
				env.getOrDefault("HERALD_DEMO_JWT_SECRET", DEFAULT_DEMO_JWT_SECRET),
				(dataDirectory != null) ? workingDirectory.resolve(dataDirectory) : home.resolve("data"), services(env),
				DEFAULT_READINESS_TIMEOUT, port(env, "HERALD_SANDBOX_PORT", DEFAULT_SANDBOX_PORT),
				duration(env, "HERALD_WARMUP", DEFAULT_WARMUP), onOff(env, "HERALD_AOT_CACHE", true),
				number(env, "HERALD_KAFKA_BROKERS", 1), false);
	}

	/** The JVM options of the stack's Kafka brokers in processes of their own. */
	public List<String> brokerJvmOptions() {
		return this.shortLived ? SHORT_LIVED_BROKER_JVM_OPTIONS : List.of();
	}

	/** The JVM options every service of the stack starts with, before its own. */
	public List<String> serviceJvmOptions() {
		return this.shortLived ? SHORT_LIVED_JVM_OPTIONS : List.of();
	}

	/**
	 * The service of this name, with its ports.
	 * @throws LocalStackException if these settings run no such service
	 */
	public Service service(String name) {
		return this.services.stream()
			.filter((service) -> service.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new LocalStackException("No service '" + name + "' runs"));
	}

	Path kafkaDirectory() {
		return this.dataDirectory.resolve("kafka");
	}

	/**
	 * The nodes' data when {@link #kafkaBrokers()} is more than one, a directory per
	 * node.
	 */
	Path kafkaClusterDirectory() {
		return this.dataDirectory.resolve("kafka-cluster");
	}

	Path redisDirectory() {
		return this.dataDirectory.resolve("redis");
	}

	/**
	 * Where the provider sandboxes keep the key and certificate files the delivery
	 * service reads.
	 */
	Path sandboxDirectory() {
		return this.dataDirectory.resolve("sandbox");
	}

	/** Whether the delivery service runs, and with it the provider sandboxes. */
	boolean runsDelivery() {
		return this.services.stream().anyMatch((service) -> service.name().equals("delivery"));
	}

	/** Where the services' logs and Redis's are. */
	public Path logDirectory() {
		return this.dataDirectory.resolve("logs");
	}

	private static List<Service> services(Map<String, String> env) {
		List<String> known = Service.ALL.stream().map(Service::name).toList();
		String selection = env.get("HERALD_SERVICES");
		List<String> selected = (selection == null) ? known
				: selection.equals(NO_SERVICES) ? List.of() : List.of(selection.split("\\s*,\\s*"));
		for (String name : selected) {
			if (!known.contains(name)) {
				throw new IllegalArgumentException("HERALD_SERVICES names an unknown service '" + name
						+ "': use a comma-separated list of " + known + " or '" + NO_SERVICES + "'");
			}
		}
		return Service.ALL.stream()
			.filter((service) -> selected.contains(service.name()))
			.map((service) -> service.withPorts(port(env, service.portVariable(), service.port()),
					port(env, service.managementPortVariable(), service.managementPort())))
			.toList();
	}

	private static Duration duration(Map<String, String> env, String variable, Duration defaultValue) {
		String value = env.get(variable);
		if (value == null) {
			return defaultValue;
		}
		try {
			return Arguments.duration(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(variable + ": " + ex.getMessage());
		}
	}

	private static boolean onOff(Map<String, String> env, String variable, boolean defaultValue) {
		String value = env.get(variable);
		if (value == null) {
			return defaultValue;
		}
		return switch (value) {
			case "on" -> true;
			case "off" -> false;
			default -> throw new IllegalArgumentException(variable + " must be 'on' or 'off', but was '" + value + "'");
		};
	}

	private static int port(Map<String, String> env, String variable, int defaultPort) {
		String value = env.get(variable);
		if (value == null) {
			return defaultPort;
		}
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(variable + " must be a TCP port (1-65535), but was '" + value + "'");
		}
	}

	private static int number(Map<String, String> env, String variable, int defaultValue) {
		String value = env.get(variable);
		if (value == null) {
			return defaultValue;
		}
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(variable + " must be a number, but was '" + value + "'");
		}
	}

	private static void checkPort(int port, String variable) {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException(variable + " must be a TCP port (1-65535), but was " + port);
		}
	}

	private static void requireText(String value, String variable) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(variable + " must not be empty");
		}
	}

	private static void checkDistinctPorts(int kafkaPort, int redisPort, List<Service> services) {
		Map<Integer, String> owners = new HashMap<>();
		claim(owners, kafkaPort, "HERALD_KAFKA_PORT");
		claim(owners, redisPort, "HERALD_REDIS_PORT");
		services.forEach((service) -> {
			claim(owners, service.port(), service.portVariable());
			claim(owners, service.managementPort(), service.managementPortVariable());
		});
	}

	private static void claim(Map<Integer, String> owners, int port, String variable) {
		String previous = owners.putIfAbsent(port, variable);
		if (previous != null) {
			throw new IllegalArgumentException(variable + " and " + previous + " must differ, both are " + port);
		}
	}

}
