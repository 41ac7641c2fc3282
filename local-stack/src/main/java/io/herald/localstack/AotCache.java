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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.herald.infra.BoundProcesses;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK ahead-of-time cache per service (JDK 25+, JEP 483, 514 and 515): the classes a
 * service loads and links, read, parsed, verified and linked once, and the profiles of
 * its methods, then mapped from a file at every start. A service then starts in about
 * half the time and half the CPU, which on a small machine is CPU its neighbours get back
 * while they start too.
 *
 * <p>
 * The cache needs the application on a class path of plain jars, so the service's jar is
 * first extracted with Spring Boot's tools jar mode ({@code -Djarmode=tools extract})
 * into {@code <module>/target/aot/}. The first run of a build is its training run: the
 * service starts from the extracted jar with {@code -XX:AOTCacheOutput} and serves as
 * always, and when the stack stops it, the JVM writes what it loaded into a cache before
 * it exits ({@link Training}). Nothing waits for a training run of its own, so the first
 * start after a build is as quick as a start without a cache; the stack's stop takes some
 * seconds more, once. Every later start uses the cache. Extracted jar and cache are
 * redone when the jar or the JDK changes.
 *
 * <p>
 * Anything that goes wrong (an older JDK, a jar that cannot be extracted) falls back to
 * {@code java -jar} of the plain jar, with one line in the log, and a run that ends
 * otherwise than by the stack's stop (a crash, a kill) writes no cache: the next start
 * trains again. The cache makes starts faster, never possible.
 */
final class AotCache {

	/**
	 * The first JDK whose {@code -XX:AOTCacheOutput} trains and writes a cache in one
	 * run.
	 */
	static final int MIN_JAVA_FEATURE = 25;

	/**
	 * How long a stopped training run gets to write its cache and exit: four services
	 * write theirs at once, each 10 to 15 CPU-seconds on a two-core machine.
	 */
	static final Duration WRITE_TIMEOUT = Duration.ofMinutes(2);

	/** What the JVM prints once it has written a cache, followed by the file. */
	static final String WRITTEN = "AOTCache creation is complete: ";

	/** Extracting a service's jar takes a few seconds. */
	private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(1);

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
	 * How to start a service: with its cache if this build has one, otherwise from the
	 * extracted jar as a training run, and {@code java -jar} of its jar if it cannot be
	 * extracted.
	 * @param jar the service's executable jar
	 * @param extractLog where the extraction writes its output
	 */
	Launch prepare(Path jar, Path extractLog) {
		if (this.javaFeature < MIN_JAVA_FEATURE) {
			return Launch.plain(jar);
		}
		Path directory = jar.resolveSibling("aot");
		try {
			Files.createDirectories(directory);
			return locked(directory, () -> prepareLocked(jar, directory, extractLog));
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Starting {} without an AOT cache: {}", jar.getFileName(), ex.getMessage());
			return Launch.plain(jar);
		}
	}

	private Launch prepareLocked(Path jar, Path directory, Path extractLog) throws IOException {
		Path extracted = directory.resolve(jar.getFileName());
		Training training = new Training(jar.getFileName().toString(), directory, sourceOf(jar));
		if (training.cached()) {
			return Launch.cached(extracted, training.cache);
		}
		Path extractedStamp = directory.resolve("extracted.txt");
		if (!Files.isRegularFile(extracted) || !Files.exists(extractedStamp)
				|| !Files.readString(extractedStamp, StandardCharsets.UTF_8).equals(training.source)) {
			// Also what earlier builds' runs left: their caches and outputs.
			deleteContents(directory);
			run(List.of(this.java.toString(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
					directory.toString()), jar.getParent(), extractLog, "extracting " + jar.getFileName());
			Files.writeString(extractedStamp, training.source, StandardCharsets.UTF_8);
		}
		return Launch.training(extracted, training);
	}

	/** What the cache was made from: the jar (by size and time) and the JDK. */
	private String sourceOf(Path jar) throws IOException {
		return jar.getFileName() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() + "\n"
				+ this.java.toRealPath() + " " + this.javaFeature + "\n";
	}

	/**
	 * Runs {@code work} holding the module's lock against this JVM's stacks and its file
	 * lock against other JVMs.
	 */
	private static <T> T locked(Path directory, IoWork<T> work) throws IOException {
		synchronized (MODULE_LOCKS.computeIfAbsent(directory, (key) -> new Object())) {
			try (FileChannel lockFile = FileChannel.open(directory.resolveSibling("aot.lock"),
					StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock held = lockFile.lock()) {
				return work.run();
			}
		}
	}

	@FunctionalInterface
	private interface IoWork<T> {

		T run() throws IOException;

	}

	/**
	 * The cache a module's runs write until one of them has: each run its own file, which
	 * becomes the cache once the JVM says it wrote it all.
	 */
	static final class Training {

		private static final AtomicLong RUNS = new AtomicLong();

		private final String jarName;

		private final Path directory;

		private final Path cache;

		private final Path stamp;

		private final String source;

		Training(String jarName, Path directory, String source) {
			this.jarName = jarName;
			this.directory = directory;
			this.cache = directory.resolve("app.aot");
			this.stamp = directory.resolve("source.txt");
			this.source = source;
		}

		/** The cache, if a run of this build has written it. */
		Optional<Path> cache() {
			return cached() ? Optional.of(this.cache) : Optional.empty();
		}

		private boolean cached() {
			try {
				return Files.isRegularFile(this.cache) && Files.exists(this.stamp)
						&& Files.readString(this.stamp, StandardCharsets.UTF_8).equals(this.source);
			}
			catch (IOException ex) {
				return false;
			}
		}

		/** A file of its own for the next run's cache. */
		Path newOutput() {
			return this.directory.resolve("app.aot." + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
		}

		/**
		 * Keeps what a run wrote as the module's cache, if the stack stopped the run and
		 * the run's log says the JVM wrote all of {@code output}, and no other run's
		 * cache is there yet; deletes it otherwise.
		 * @param output the run's {@code -XX:AOTCacheOutput}
		 * @param stopped whether the stack stopped the run and it exited within
		 * {@link #WRITE_TIMEOUT}
		 * @param runLog the run's output
		 */
		void finish(Path output, boolean stopped, Path runLog) {
			try {
				locked(this.directory, () -> {
					if (stopped && !cached() && Files.isRegularFile(output) && wroteAll(runLog, output)) {
						Files.move(output, this.cache, StandardCopyOption.ATOMIC_MOVE,
								StandardCopyOption.REPLACE_EXISTING);
						Files.writeString(this.stamp, this.source, StandardCharsets.UTF_8);
						log.info("Wrote the AOT cache of {} ({} MB): its next starts are about twice as quick",
								this.jarName, Files.size(this.cache) >> 20);
					}
					Files.deleteIfExists(output);
					Files.deleteIfExists(output.resolveSibling(output.getFileName() + ".config"));
					return null;
				});
			}
			catch (IOException | RuntimeException ex) {
				log.warn("Could not keep the AOT cache of {}: {}", this.jarName, ex.getMessage());
			}
		}

		private static boolean wroteAll(Path runLog, Path output) throws IOException {
			String written = WRITTEN + output;
			try (Stream<String> lines = Files.lines(runLog, StandardCharsets.ISO_8859_1)) {
				return lines.anyMatch((line) -> line.startsWith(written));
			}
		}

	}

	private static void run(List<String> command, Path directory, Path output, String what) throws IOException {
		Files.createDirectories(output.getParent());
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
		Process process = BoundProcesses.start("aot-extract", builder);
		try {
			if (!process.waitFor(EXTRACT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(what + " took longer than " + EXTRACT_TIMEOUT + "; see " + output);
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
	 * How a service starts, after {@code java}.
	 *
	 * @param jar the jar to run: the extracted one with a cache or a training, the
	 * service's own without
	 * @param options JVM options before {@code -jar}
	 * @param training the cache this build's runs train until one of them has written it,
	 * if there is none yet
	 */
	record Launch(Path jar, List<String> options, @Nullable Training training) {

		static Launch plain(Path jar) {
			return new Launch(jar, List.of(), null);
		}

		static Launch cached(Path extracted, Path cache) {
			return new Launch(extracted, List.of("-XX:AOTCache=" + cache), null);
		}

		static Launch training(Path extracted, Training training) {
			return new Launch(extracted, List.of(), training);
		}

		/** This launch with {@code first} before its own options. */
		Launch withOptions(List<String> first) {
			if (first.isEmpty()) {
				return this;
			}
			List<String> options = new ArrayList<>(first);
			options.addAll(this.options);
			return new Launch(this.jar, List.copyOf(options), this.training);
		}

		/**
		 * One start's command line, {@code java [options] -jar <jar>}: with the cache if
		 * a run of this build has written it by now, otherwise as a training run that
		 * writes one when it is stopped (and keeps the JVM's notes on what it could not
		 * cache out of the service's log).
		 */
		Start start(Path java) {
			List<String> command = new ArrayList<>();
			command.add(java.toString());
			command.addAll(this.options);
			Path output = null;
			if (this.training != null) {
				Optional<Path> cache = this.training.cache();
				if (cache.isPresent()) {
					command.add("-XX:AOTCache=" + cache.get());
				}
				else {
					output = this.training.newOutput();
					command.add("-XX:AOTCacheOutput=" + output);
					command.add("-Xlog:aot=error,cds=error");
				}
			}
			command.add("-jar");
			command.add(this.jar.toString());
			return new Start(List.copyOf(command), (output != null) ? new TrainingRun(this.training, output) : null);
		}

	}

	/**
	 * One start of a service.
	 *
	 * @param command its command line
	 * @param training the cache it writes when it is stopped, if it is a training run
	 */
	record Start(List<String> command, @Nullable TrainingRun training) {

	}

	/**
	 * A training run: the cache it trains and the file its JVM writes.
	 *
	 * @param training the module's cache
	 * @param output the run's {@code -XX:AOTCacheOutput}
	 */
	record TrainingRun(Training training, Path output) {

		/**
		 * Keeps the cache the run wrote, or deletes what it left
		 * ({@link Training#finish}).
		 */
		void finish(boolean stopped, Path runLog) {
			this.training.finish(this.output, stopped, runLog);
		}

	}

}
