package io.herald.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.herald.infra.BoundProcesses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK ahead-of-time cache per service (JDK 25+, JEP 483 and 514): the classes a service
 * loads and links at start, read, parsed, verified and linked once, then mapped from a
 * file at every start. A service then starts in about half the time and half the CPU,
 * which on a small machine is CPU its neighbours get back while they start too.
 *
 * <p>
 * The cache needs the application on a class path of plain jars, so the service's jar is
 * first extracted with Spring Boot's tools jar mode ({@code -Djarmode=tools extract})
 * into {@code <module>/target/aot/}. One training run then starts the service with the
 * stack's settings until its application context is refreshed
 * ({@code -Dspring.context.exit=onRefresh}: every bean is created, nothing starts
 * consuming or listening) and writes the cache at exit ({@code -XX:AOTCacheOutput}). Both
 * are redone when the jar or the JDK changes, so a build is trained once, on the first
 * start after it.
 *
 * <p>
 * Anything that goes wrong (an older JDK, a failed training run) falls back to
 * {@code java -jar} of the plain jar, with one line in the log: the cache makes starts
 * faster, never possible.
 */
final class AotCache {

	/**
	 * The first JDK whose {@code -XX:AOTCacheOutput} trains and writes a cache in one
	 * run.
	 */
	static final int MIN_JAVA_FEATURE = 25;

	/** A service's training run on a busy two-core machine takes well under this. */
	private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(3);

	/**
	 * Guards a module's cache against two stacks of this JVM; the file lock guards it
	 * against other JVMs.
	 */
	private static final Map<Path, Object> MODULE_LOCKS = new ConcurrentHashMap<>();

	private static final Logger log = LoggerFactory.getLogger(AotCache.class);

	private final Path java;

	private final int javaFeature;

	/**
	 * @param java the {@code java} binary the services run with
	 * @param javaFeature its feature release ({@code 25} for JDK 25)
	 */
	AotCache(Path java, int javaFeature) {
		this.java = java;
		this.javaFeature = javaFeature;
	}

	/**
	 * The cache for the JDK this process runs on, which the local stack also runs the
	 * services with.
	 */
	static AotCache forThisJvm() {
		return new AotCache(Path.of(System.getProperty("java.home"), "bin", "java"), Runtime.version().feature());
	}

	/**
	 * How to start a service: with its cache if it has one or can be trained now,
	 * otherwise {@code java -jar} of its jar.
	 * @param jar the service's executable jar
	 * @param environment the service's environment, asked for only when a training run
	 * needs it
	 * @param trainingLog where the training run writes its output
	 */
	Launch prepare(Path jar, Supplier<Map<String, String>> environment, Path trainingLog) {
		if (this.javaFeature < MIN_JAVA_FEATURE) {
			return Launch.plain(jar);
		}
		Path directory = jar.resolveSibling("aot");
		synchronized (MODULE_LOCKS.computeIfAbsent(directory, (key) -> new Object())) {
			try {
				Files.createDirectories(directory);
				try (FileChannel lockFile = FileChannel.open(jar.resolveSibling("aot.lock"), StandardOpenOption.CREATE,
						StandardOpenOption.WRITE); FileLock held = lockFile.lock()) {
					return prepareLocked(jar, directory, environment, trainingLog);
				}
			}
			catch (IOException | RuntimeException ex) {
				log.warn("Starting {} without an AOT cache: {}", jar.getFileName(), ex.getMessage());
				return Launch.plain(jar);
			}
		}
	}

	private Launch prepareLocked(Path jar, Path directory, Supplier<Map<String, String>> environment, Path trainingLog)
			throws IOException {
		Path extracted = directory.resolve(jar.getFileName());
		Path cache = directory.resolve("app.aot");
		Path stamp = directory.resolve("source.txt");
		String source = sourceOf(jar);
		if (Files.isRegularFile(cache) && Files.isRegularFile(extracted) && Files.exists(stamp)
				&& Files.readString(stamp, StandardCharsets.UTF_8).equals(source)) {
			return Launch.cached(extracted, cache);
		}
		deleteContents(directory);
		log.info("Training the AOT cache of {} (once per build, about a minute; output in {})", jar.getFileName(),
				trainingLog);
		long started = System.nanoTime();
		run(List.of(this.java.toString(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
				directory.toString()), jar.getParent(), Map.of(), trainingLog, "extracting " + jar.getFileName());
		Path training = directory.resolve("app.aot.training");
		run(List.of(this.java.toString(), "-XX:AOTCacheOutput=" + training, "-Dspring.context.exit=onRefresh", "-jar",
				extracted.toString()), directory, environment.get(), trainingLog,
				"training run of " + jar.getFileName());
		if (!Files.isRegularFile(training)) {
			throw new IOException("the training run wrote no cache; see " + trainingLog);
		}
		Files.move(training, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		Files.writeString(stamp, source, StandardCharsets.UTF_8);
		log.info("Trained the AOT cache of {} in {} s (once per build; {})", jar.getFileName(),
				TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), cache);
		return Launch.cached(extracted, cache);
	}

	/** What the cache was made from: the jar (by size and time) and the JDK. */
	private String sourceOf(Path jar) throws IOException {
		return jar.getFileName() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() + "\n"
				+ this.java.toRealPath() + " " + this.javaFeature + "\n";
	}

	private static void run(List<String> command, Path directory, Map<String, String> environment, Path output,
			String what) throws IOException {
		Files.createDirectories(output.getParent());
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
		builder.environment().putAll(environment);
		Process process = BoundProcesses.start("aot-training", builder);
		try {
			if (!process.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(what + " took longer than " + TRAINING_TIMEOUT + "; see " + output);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException(what + " was interrupted", ex);
		}
		if (process.exitValue() != 0) {
			throw new IOException(what + " failed with exit code " + process.exitValue() + "; see " + output);
		}
	}

	private static void deleteContents(Path directory) throws IOException {
		List<Path> paths;
		try (Stream<Path> walk = Files.walk(directory)) {
			paths = new ArrayList<>(walk.filter((path) -> !path.equals(directory)).toList());
		}
		paths.sort(Comparator.reverseOrder());
		for (Path path : paths) {
			try {
				Files.delete(path);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not delete " + path + ": " + ex.getMessage(), ex);
			}
		}
	}

	/**
	 * A service's command line after {@code java}.
	 *
	 * @param jar the jar to run: the extracted one with a cache, the service's own
	 * without
	 * @param options JVM options before {@code -jar}
	 */
	record Launch(Path jar, List<String> options) {

		static Launch plain(Path jar) {
			return new Launch(jar, List.of());
		}

		static Launch cached(Path extracted, Path cache) {
			return new Launch(extracted, List.of("-XX:AOTCache=" + cache));
		}

		/** This launch with {@code first} before its own options. */
		Launch withOptions(List<String> first) {
			if (first.isEmpty()) {
				return this;
			}
			List<String> options = new ArrayList<>(first);
			options.addAll(this.options);
			return new Launch(this.jar, List.copyOf(options));
		}

		/** {@code java [options] -jar <jar>}. */
		List<String> command(Path java) {
			List<String> command = new ArrayList<>();
			command.add(java.toString());
			command.addAll(this.options);
			command.add("-jar");
			command.add(this.jar.toString());
			return command;
		}

	}

}
