package io.herald.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Herald service as its deployment has to see it: a module of the root pom with an
 * {@code application.yml} that sets {@code server.port}. It knows its HTTP port, its
 * management port ({@code management.server.port}, where the actuator is) and which
 * environment variables its configuration reads.
 *
 * @param name the module, which is also the service's name in every deployment file
 * @param directory the module's directory
 */
record ServiceModule(String name, Path directory) {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

	private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

	private static final Pattern HERALD_ARTIFACT = Pattern
		.compile("<groupId>io\\.herald</groupId>\\s*<artifactId>([^<]+)</artifactId>");

	/**
	 * What reading a module's sources found, by module: the files do not change during a
	 * test run.
	 */
	private static final Map<Path, Set<List<String>>> PROPERTIES = new ConcurrentHashMap<>();

	/** Every service of the repository, in the root pom's order. */
	static List<ServiceModule> all() {
		return Repository.modules()
			.stream()
			.map((module) -> new ServiceModule(module, Repository.file(module)))
			.filter((module) -> Files.isRegularFile(module.applicationYml())
					&& Maps.string(module.configuration(), "server", "port") != null)
			.toList();
	}

	static ServiceModule named(String name) {
		return all().stream()
			.filter((module) -> module.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No service module " + name));
	}

	Path applicationYml() {
		return this.directory.resolve("src/main/resources/application.yml");
	}

	Map<String, Object> configuration() {
		return Repository.yaml(applicationYml());
	}

	/**
	 * The environment variable that sets the port, such as {@code HERALD_INGESTION_PORT}.
	 */
	String portVariable() {
		return portPlaceholder().group(1);
	}

	/**
	 * The port the service listens on with this environment: {@code SERVER_PORT} if set
	 * (it overrides {@code application.yml}), else its port variable, else the default.
	 */
	int port(Map<String, String> environment) {
		String port = environment.get("SERVER_PORT");
		if (port == null) {
			port = environment.getOrDefault(portVariable(), portPlaceholder().group(2));
		}
		return Integer.parseInt(port.strip());
	}

	/**
	 * Whether the service's configuration reads this environment variable: a placeholder
	 * in its {@code application.yml}, or, by relaxed binding, a property set there or
	 * bound by a {@code @ConfigurationProperties} record of the module or of a Herald
	 * module it runs with.
	 */
	boolean reads(String variable) {
		if (placeholders().contains(variable)) {
			return true;
		}
		List<String> segments = BoundProperties.canonicalVariable(variable);
		return properties().stream()
			.anyMatch((path) -> segments.size() >= path.size() && segments.subList(0, path.size()).equals(path));
	}

	/** The environment variables named by placeholders in {@code application.yml}. */
	Set<String> placeholders() {
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = PLACEHOLDER.matcher(Repository.read(applicationYml()));
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	/** The canonical paths of the properties the service's configuration has or binds. */
	Set<List<String>> properties() {
		return PROPERTIES.computeIfAbsent(this.directory, (directory) -> {
			Set<List<String>> paths = new LinkedHashSet<>(BoundProperties.leavesOf(configuration()));
			for (Path module : runtimeModules(directory, new LinkedHashSet<>())) {
				paths.addAll(BoundProperties.in(module.resolve("src/main/java")));
			}
			return Set.copyOf(paths);
		});
	}

	/**
	 * The environment variable that sets the management port, such as
	 * {@code HERALD_INGESTION_MANAGEMENT_PORT}.
	 */
	String managementPortVariable() {
		return managementPortPlaceholder().group(1);
	}

	/**
	 * The management port with this environment: {@code MANAGEMENT_SERVER_PORT} if set,
	 * else its management port variable, else the default.
	 */
	int managementPort(Map<String, String> environment) {
		String port = environment.get("MANAGEMENT_SERVER_PORT");
		if (port == null) {
			port = environment.getOrDefault(managementPortVariable(), managementPortPlaceholder().group(2));
		}
		return Integer.parseInt(port.strip());
	}

	private Matcher portPlaceholder() {
		return placeholder("server.port", Maps.string(configuration(), "server", "port"));
	}

	private Matcher managementPortPlaceholder() {
		return placeholder("management.server.port", Maps.string(configuration(), "management", "server", "port"));
	}

	private Matcher placeholder(String property, String value) {
		Matcher matcher = PLACEHOLDER.matcher((value != null) ? value : "");
		if (!matcher.matches() || matcher.group(2) == null) {
			throw new IllegalStateException(name() + ": " + property + " is not ${VARIABLE:default} but " + value);
		}
		return matcher;
	}

	/**
	 * This module and the Herald modules it depends on outside the test scope,
	 * transitively.
	 */
	private static Set<Path> runtimeModules(Path module, Set<Path> found) {
		if (!found.add(module)) {
			return found;
		}
		Matcher dependency = DEPENDENCY.matcher(Repository.read(module.resolve("pom.xml")));
		while (dependency.find()) {
			Matcher herald = HERALD_ARTIFACT.matcher(dependency.group(1));
			if (herald.find() && !dependency.group(1).contains("<scope>test</scope>")) {
				runtimeModules(Repository.module(herald.group(1)), found);
			}
		}
		return found;
	}

}
