package io.herald.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.herald.infra.BoundProcesses;
import org.jspecify.annotations.Nullable;

/**
 * One service running as a child process:
 * {@code java -jar <module>/target/<module>-*.jar}, or the jar extracted beside it with
 * its AOT cache ({@link AotCache}), its output in its own log file.
 */
public final class ServiceProcess {

	private static final Duration READINESS_POLL_INTERVAL = Duration.ofMillis(250);

	private static final Duration READINESS_REQUEST_TIMEOUT = Duration.ofSeconds(2);

	private static final int THREAD_DUMP_EXCERPT_LINES = 60;

	private final Service service;

	private final Process process;

	/** The lines of a service's log that a failed start shows. */
	private static final int LAST_LINES = 20;

	private final Path logFile;

	private final Path java;

	private List<ProcessHandle> descendants = List.of();

	/** The cache this process writes when it is stopped, if it is a training run. */
	private final AotCache.@Nullable TrainingRun training;

	private volatile boolean stopRequested;

	private ServiceProcess(Service service, Process process, Path logFile, Path java,
			AotCache.@Nullable TrainingRun training) {
		this.service = service;
		this.process = process;
		this.logFile = logFile;
		this.java = java;
		this.training = training;
	}

	/**
	 * Starts the service as {@code launch} says, with the given environment added to this
	 * process's own, its standard output and error written to {@code logFile} (truncated
	 * first).
	 */
	static ServiceProcess start(Service service, Path java, AotCache.Launch launch, Map<String, String> environment,
			Path logFile) {
		try {
			Files.createDirectories(logFile.getParent());
			AotCache.Start start = launch.start(java);
			ProcessBuilder builder = new ProcessBuilder(start.command()).directory(launch.jar().getParent().toFile())
				.redirectErrorStream(true)
				.redirectOutput(logFile.toFile());
			builder.environment().putAll(environment);
			return new ServiceProcess(service, BoundProcesses.start(service.module(), builder), logFile, java,
					start.training());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + service.module() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Finds the executable jar of a module:
	 * {@code <home>/<module>/target/<module>-*.jar}, the newest if there are several,
	 * never a sources, javadoc or tests jar.
	 * @throws LocalStackException if the module has not been built
	 */
	static Path findJar(Path home, String module) {
		Path target = home.resolve(module).resolve("target");
		List<Path> jars = new ArrayList<>();
		if (Files.isDirectory(target)) {
			try (DirectoryStream<Path> candidates = Files.newDirectoryStream(target, module + "-*.jar")) {
				for (Path candidate : candidates) {
					String name = candidate.getFileName().toString();
					if (!name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar") && !name.endsWith("-tests.jar")
							&& !name.endsWith("-plain.jar")) {
						jars.add(candidate);
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not list " + target + ": " + ex.getMessage(), ex);
			}
		}
		return jars.stream()
			.max(Comparator.comparing(ServiceProcess::lastModified))
			.orElseThrow(() -> new LocalStackException("No jar of " + module + " in " + target
					+ ": build it with ./mvnw -DskipTests package (./platform up does it for you)"));
	}

	/** The service this process runs. */
	public Service service() {
		return this.service;
	}

	Path logFile() {
		return this.logFile;
	}

	/** The process id. */
	public long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** Completes with this object when the process exits, for whatever reason. */
	CompletableFuture<ServiceProcess> onExit() {
		return this.process.onExit().thenApply((process) -> this);
	}

	/**
	 * Polls {@code GET /actuator/health/readiness} on the management port until it
	 * answers 200.
	 * @throws LocalStackException naming the service and its log if the process exits
	 * first or the deadline passes
	 */
	void awaitReady(HttpClient http, Instant deadline) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(this.service.managementUrl() + "/actuator/health/readiness"))
			.timeout(READINESS_REQUEST_TIMEOUT)
			.GET()
			.build();
		String lastAnswer = "no answer";
		while (Instant.now().isBefore(deadline)) {
			try {
				HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
				lastAnswer = "HTTP " + response.statusCode() + " " + response.body();
			}
			catch (IOException ex) {
				lastAnswer = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LocalStackException("Interrupted while waiting for " + this.service.module(), ex);
			}
			if (waitForExit(READINESS_POLL_INTERVAL)) {
				throw new LocalStackException(this.service.module() + " exited with code " + this.process.exitValue()
						+ " before it was ready; see " + this.logFile + lastLines(LAST_LINES));
			}
		}
		throw new LocalStackException(this.service.module() + " was not ready at " + this.service.managementUrl()
				+ "/actuator/health/readiness in time (last answer: " + lastAnswer + "); see " + this.logFile
				+ (this.process.isAlive() ? threadDump() : ""));
	}

	/**
	 * The end of the service's log, to show with a failed start: where the log is removed
	 * with its stack (a test's), or on a CI machine, the message is all that is left of
	 * the cause.
	 */
	private String lastLines(int count) {
		try {
			List<String> lines = Files.readAllLines(this.logFile);
			if (lines.isEmpty()) {
				return "";
			}
			return "; its last lines:" + System.lineSeparator() + String.join(System.lineSeparator(),
					lines.subList(Math.max(0, lines.size() - count), lines.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "";
		}
	}

	/**
	 * Writes the threads of a service that is alive but does not answer, virtual ones
	 * included, next to its log ({@code jcmd Thread.dump_to_file}).
	 * @return where the dump is and the frames of Herald's code in it, or nothing if it
	 * could not be taken
	 */
	public String threadDump() {
		Path jcmd = this.java.resolveSibling("jcmd");
		Path dump = this.logFile
			.resolveSibling(this.service.module() + "-threads-" + System.currentTimeMillis() + ".txt");
		if (!Files.isExecutable(jcmd)) {
			return "";
		}
		try {
			Process command = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "Thread.dump_to_file",
					"-format=text", dump.toString())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!command.waitFor(30, TimeUnit.SECONDS) || !Files.exists(dump)) {
				command.destroyForcibly();
				return "";
			}
			List<String> frames;
			try (Stream<String> lines = Files.lines(dump)) {
				frames = heraldFrames(lines.toList());
			}
			return "\n" + this.service.module() + "'s threads are in " + dump
					+ "; the first of those in Herald's code:\n" + String.join("\n", frames);
		}
		catch (IOException | UncheckedIOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	/**
	 * Of a thread dump in {@code jcmd Thread.dump_to_file -format=text}'s form (a
	 * {@code #<id>} line per thread, then its frames), the threads that run Herald's
	 * code, each with only those frames; at most {@value #THREAD_DUMP_EXCERPT_LINES}
	 * lines.
	 */
	static List<String> heraldFrames(List<String> dump) {
		List<String> excerpt = new ArrayList<>();
		String thread = null;
		for (String line : dump) {
			if (excerpt.size() >= THREAD_DUMP_EXCERPT_LINES) {
				break;
			}
			if (line.startsWith("#")) {
				thread = line;
			}
			else if (line.contains("io.herald.")) {
				if (thread != null) {
					excerpt.add(thread);
					thread = null;
				}
				excerpt.add(line);
			}
		}
		return excerpt;
	}

	/**
	 * Asks the service to stop (SIGTERM), as Ctrl-C would; it then shuts down gracefully.
	 */
	void requestStop() {
		// A run that exited by itself first (a failed start) was not stopped: its cache
		// is not kept.
		if (this.process.isAlive()) {
			this.stopRequested = true;
		}
		this.descendants = this.process.descendants().toList();
		this.process.destroy();
	}

	/** Whether this process writes its service's AOT cache when it is stopped. */
	boolean trainsAotCache() {
		return this.training != null;
	}

	/**
	 * Deletes what this process, killed, left of its AOT training run: a killed JVM
	 * writes no cache.
	 */
	void discardAotTraining() {
		AotCache.TrainingRun training = this.training;
		if (training != null) {
			training.finish(false, this.logFile);
		}
	}

	/**
	 * Waits until the service and any process it started have exited, killing whatever is
	 * left when the grace period is over; a training run gets at least
	 * {@link AotCache#WRITE_TIMEOUT} to write its cache, which is kept once it exited.
	 * @return {@code true} if everything exited within the grace period
	 */
	boolean awaitStop(Duration grace) {
		AotCache.TrainingRun training = this.training;
		boolean graceful = waitForExit(
				(training != null && grace.compareTo(AotCache.WRITE_TIMEOUT) < 0) ? AotCache.WRITE_TIMEOUT : grace);
		if (!graceful) {
			this.process.destroyForcibly();
			waitForExit(Duration.ofSeconds(5));
		}
		if (training != null) {
			training.finish(graceful && this.stopRequested, this.logFile);
		}
		for (ProcessHandle descendant : this.descendants) {
			descendant.destroy();
			try {
				descendant.onExit().get(graceful ? 5 : 0, TimeUnit.SECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				descendant.destroyForcibly();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				descendant.destroyForcibly();
			}
		}
		return graceful;
	}

	private boolean waitForExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !this.process.isAlive();
		}
	}

	private static Instant lastModified(Path file) {
		try {
			return Files.getLastModifiedTime(file).toInstant();
		}
		catch (IOException ex) {
			return Instant.EPOCH;
		}
	}

}
