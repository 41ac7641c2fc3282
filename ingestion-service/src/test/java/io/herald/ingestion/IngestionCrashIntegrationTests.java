package io.herald.ingestion;

import io.herald.events.HeaderNames;
import io.herald.infra.FreePorts;
import io.herald.infra.SharedInfra;
import io.herald.support.apikey.ApiKeyRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guarantee 1: a {@code 202} means the event is in the log. The packaged service runs as
 * its own process under load and is killed with SIGKILL mid-stream; after a restart,
 * every event that got a {@code 202} before the kill is in {@code herald.events}.
 */
class IngestionCrashIntegrationTests {

	private static final int CLIENTS = 8;

	/** The service is killed once this many events were accepted. */
	private static final int ACCEPTED_BEFORE_KILL = 400;

	private Process service;

	@AfterEach
	void stopService() {
		if (this.service != null) {
			this.service.destroyForcibly();
		}
	}

	@Test
	void killedIngestionLosesNoAcceptedEvent() throws Exception {
		List<Integer> ports = FreePorts.find(2);
		int port = ports.get(0);
		int managementPort = ports.get(1);
		Path log = Files.createTempFile("ingestion-crash", ".log");
		this.service = start(port, managementPort, log);
		TestApi api = new TestApi(port);
		TestApi management = new TestApi(managementPort);
		awaitReady(management);

		Set<String> accepted = ConcurrentHashMap.newKeySet();
		AtomicBoolean stop = new AtomicBoolean();
		try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
			for (int i = 0; i < CLIENTS; i++) {
				clients.submit(() -> {
					while (!stop.get()) {
						try {
							TestApi.Response response = api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1"));
							if (response.status() == 202) {
								accepted.add(response.json().get("eventId").stringValue());
							}
						}
						catch (RuntimeException ex) {
							// The connection died with the process: the event was not
							// acknowledged.
							stop.set(true);
						}
					}
				});
			}
			await().atMost(Duration.ofMinutes(2)).until(() -> accepted.size() >= ACCEPTED_BEFORE_KILL);
			this.service.destroyForcibly().waitFor();
			stop.set(true);
		}
		Set<String> acceptedBeforeKill = Set.copyOf(accepted);

		this.service = start(port, managementPort, log);
		awaitReady(management);
		assertThat(api.post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1")).status()).isEqualTo(202);

		Set<String> inLog = EventLog.events(SharedInfra.kafka().bootstrapServers())
			.stream()
			.map((record) -> HeaderNames.lastValue(record.headers(), HeaderNames.CE_ID))
			.collect(Collectors.toSet());
		assertThat(acceptedBeforeKill).hasSizeGreaterThanOrEqualTo(ACCEPTED_BEFORE_KILL);
		assertThat(inLog).containsAll(acceptedBeforeKill);
	}

	private static Process start(int port, int managementPort, Path log) throws IOException {
		File jar = Files.list(Path.of("target"))
			.filter((path) -> path.getFileName().toString().matches("ingestion-service-.*\\.jar"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("package the service first (mvn package)"))
			.toFile();
		String java = ProcessHandle.current().info().command().orElse("java");
		ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar.getAbsolutePath()))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		Map<String, String> env = builder.environment();
		env.put("SERVER_PORT", Integer.toString(port));
		env.put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
		env.put("HERALD_KAFKA_BOOTSTRAP", SharedInfra.kafka().bootstrapServers());
		env.put("HERALD_REDIS_PORT", Integer.toString(SharedInfra.redis().port()));
		env.put("HERALD_APIKEYS_0_TENANT", "acme");
		env.put("HERALD_APIKEYS_0_NAME", "acme");
		env.put("HERALD_APIKEYS_0_SHA256", ApiKeyRegistry.sha256(TestApi.ACME_KEY));
		env.put("HERALD_APIKEYS_0_EVENTSPERSECOND", "1000000");
		return builder.start();
	}

	private static void awaitReady(TestApi management) {
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> management.send(management.request("/actuator/health/readiness").GET()).status() == 200);
	}

}
