package io.herald.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.herald.localstack.DemoUserToken;
import io.herald.localstack.LocalStackSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The npm package {@code @herald/client} in Node against the real stack from the packaged
 * jars (ingestion, routing, gateway; the stack shared with the hostile-input suites):
 * runs its {@code test/gateway/} tests with Node's test runner, which publish through the
 * ingestion API and read, mark read and receive live over REST and WebSocket, and asserts
 * that every one passed. The package's tests without a stack run in the module
 * {@code clients/js}; the React component runs in Chromium in
 * {@link BrowserInboxIntegrationTests}. Needs {@code node} 20 or newer on the
 * {@code PATH}.
 */
@Order(TwoTenantStackTests.ORDER)
class NpmClientIntegrationTests extends TwoTenantStackTests {

	/**
	 * Routing picks up its first events only once its stores are assigned; a cold stack
	 * takes a while.
	 */
	private static final Duration PIPELINE_READY = Duration.ofSeconds(120);

	/** A bound on the whole Node run, whose own waits are a minute at most each. */
	private static final Duration NODE_RUN = Duration.ofMinutes(10);

	private static final Path PACKAGE = Path.of("..", "clients", "js", "herald-client").toAbsolutePath().normalize();

	@TempDir
	static Path data;

	@BeforeAll
	static void sendThroughThePipeline() throws Exception {
		assertThat(PACKAGE.resolve("dist/herald-client.js")).as("built by the module clients/js").exists();
		LocalStackSettings settings = stack.settings();
		// One notification through the whole pipeline, so that the Node tests' own waits
		// measure the client.
		String token = DemoUserToken.mint(settings.demoTenant(), settings.demoJwtSecret(), "npm-warm-up",
				Instant.now());
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(url("ingestion") + "/v1/events"))
			.header("Authorization", "Bearer " + settings.demoApiKey())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"type": "demo.hello", "recipients": {"users": ["npm-warm-up"]}, "channels": ["inapp"],
					 "content": {"title": "Warm-up", "body": "Routing is ready"}}"""))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
		await().atMost(PIPELINE_READY).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
			HttpResponse<String> inbox = http
				.send(HttpRequest.newBuilder(URI.create(url("gateway") + "/v1/inbox/unread-count"))
					.header("Authorization", "Bearer " + token)
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(inbox.body()).containsPattern("\"lastSeq\"\\s*:\\s*1");
		});
	}

	@Test
	void theClientPackagePassesItsTestsAgainstTheRealGateway() throws Exception {
		Path output = Files.createTempFile(data, "node-test-", ".txt");
		ProcessBuilder node = new ProcessBuilder("node", "--experimental-websocket", "--test",
				"test/gateway/client.test.mjs")
			.directory(PACKAGE.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		node.environment()
			.putAll(Map.of("HERALD_GATEWAY_URL", url("gateway"), "HERALD_INGESTION_URL", url("ingestion"),
					"HERALD_API_KEY", stack.settings().demoApiKey(), "HERALD_TENANT", stack.settings().demoTenant(),
					"HERALD_JWT_SECRET", stack.settings().demoJwtSecret()));
		Process run = start(node);
		boolean exited = run.waitFor(NODE_RUN.toSeconds(), TimeUnit.SECONDS);
		if (!exited) {
			run.destroyForcibly();
		}
		String report = Files.readString(output);
		System.out.println(report);
		assertThat(exited).as("node --test ended").isTrue();
		assertThat(run.exitValue()).as(report).isZero();
		assertThat(report).contains("# fail 0").doesNotContain("# pass 0");
	}

	private static Process start(ProcessBuilder node) {
		try {
			return node.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("node not found: apt-get install -y nodejs npm (Node.js 20 or newer)", ex);
		}
	}

	private static String url(String service) {
		return stack.service(service).url();
	}

}
