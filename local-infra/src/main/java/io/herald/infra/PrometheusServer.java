package io.herald.infra;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus server (the system's {@code prometheus} binary, found like
 * {@link SystemExecutable#PROMETHEUS}) on a free loopback port, with a configuration file
 * of the caller's and its data in a directory of the caller's; for tests that check
 * queries and alerting rules against the running platform.
 */
public final class PrometheusServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(PrometheusServer.class);

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final String url;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private PrometheusServer(Process process, String url) {
		this.process = process;
		this.url = url;
	}

	/**
	 * Starts Prometheus and waits until it is ready (its rule files loaded).
	 * @param configuration the {@code prometheus.yml} to run with
	 * @param directory where its data and its log ({@code prometheus.log}) go
	 * @throws IllegalStateException when the binary is missing (with what to install) or
	 * the server does not become ready, for example because a rule file does not parse
	 */
	public static PrometheusServer start(Path configuration, Path directory) throws IOException, InterruptedException {
		Path executable = SystemExecutable.PROMETHEUS.locate(null, System.getenv());
		int port = FreePorts.find();
		Path data = Files.createDirectories(directory.resolve("data"));
		Path logFile = directory.resolve("prometheus.log");
		Process process = new ProcessBuilder(List.of(executable.toString(),
				"--config.file=" + configuration.toAbsolutePath(), "--storage.tsdb.path=" + data.toAbsolutePath(),
				"--web.listen-address=" + FreePorts.LOOPBACK + ":" + port, "--web.enable-lifecycle"))
			.redirectErrorStream(true)
			.redirectOutput(logFile.toFile())
			.start();
		PrometheusServer server = new PrometheusServer(process, "http://" + FreePorts.LOOPBACK + ":" + port);
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("prometheus exited with code " + process.exitValue() + ": "
						+ Files.readString(logFile).strip());
			}
			if (server.status("/-/ready") == 200) {
				log.info("Prometheus on {}", server.url);
				return server;
			}
			Thread.sleep(200);
		}
		server.close();
		throw new IllegalStateException("prometheus not ready within " + READY_TIMEOUT + "; see " + logFile);
	}

	/** The base URL, for example {@code http://127.0.0.1:40123}. */
	public String url() {
		return this.url;
	}

	/** The JSON answer of an instant query ({@code /api/v1/query}). */
	public String query(String promql) throws IOException, InterruptedException {
		return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
	}

	/** The body of a GET of a path of the HTTP API, whatever its status. */
	public String get(String path) throws IOException, InterruptedException {
		return this.http
			.send(HttpRequest.newBuilder(URI.create(this.url + path)).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private int status(String path) throws InterruptedException {
		try {
			return this.http
				.send(HttpRequest.newBuilder(URI.create(this.url + path)).timeout(Duration.ofSeconds(5)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return 0;
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
