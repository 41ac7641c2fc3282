package io.herald.gateway.session;

import io.herald.gateway.GatewayApplication;
import io.herald.gateway.InAppLane;
import io.herald.gateway.TestSocket;
import io.herald.gateway.TestTokens;
import io.herald.infra.FreePorts;
import io.herald.infra.SharedInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway nodes on one Redis and one broker, as behind a load balancer: a user
 * connected to both gets every notification on both; a node killed with SIGKILL while
 * notifications flow loses its clients, which resume on the other node and miss nothing,
 * see nothing twice and nothing out of order; a node shut down gracefully closes its
 * clients with 1001. Node A runs from the packaged jar, so that it can really be killed.
 */
class GatewayNodesIntegrationTests {

	private static final String TENANT = "t-nodes";

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private static final int NOTIFICATIONS = 400;

	private static final Map<Integer, Integer> MANAGEMENT_PORTS = new java.util.concurrent.ConcurrentHashMap<>();

	@TempDir
	Path logs;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final String user = "u-" + UUID.randomUUID();

	@AfterEach
	void stopEverything() throws Exception {
		for (AutoCloseable resource : this.resources.reversed()) {
			resource.close();
		}
	}

	@Test
	void aUserConnectedToTwoNodesGetsEveryNotificationOnBoth() throws Exception {
		List<Integer> ports = FreePorts.find(2);
		ConfigurableApplicationContext nodeA = startInProcess(ports.get(0));
		ConfigurableApplicationContext nodeB = startInProcess(ports.get(1));
		InAppLane lane = track(new InAppLane());
		TestSocket onA = track(TestSocket.connect(ports.get(0), token()));
		TestSocket onB = track(TestSocket.connect(ports.get(1), token()));
		onA.next("hello");
		onB.next("hello");

		lane.deliver(TENANT, this.user, 1, 20);

		List<Long> expected = LongStream.rangeClosed(1, 20).boxed().toList();
		assertThat(onA.seqsUpTo(20)).containsExactlyElementsOf(expected);
		assertThat(onB.seqsUpTo(20)).containsExactlyElementsOf(expected);

		nodeB.close();
		assertThat(onB.closeCode()).isEqualTo(1001);
		assertThat(onA.isClosed()).isFalse();
		nodeA.close();
		assertThat(onA.closeCode()).isEqualTo(1001);
	}

	@Test
	void clientsOfANodeKilledWhileNotificationsFlowResumeOnTheOtherNodeWithoutLossDuplicatesOrReordering()
			throws Exception {
		List<Integer> ports = FreePorts.find(2);
		int portA = ports.get(0);
		int portB = ports.get(1);
		Process nodeA = startProcess(portA);
		ConfigurableApplicationContext nodeB = startInProcess(portB);
		awaitReady(portA);
		InAppLane lane = track(new InAppLane());
		TestSocket onA = track(TestSocket.connect(portA, token()));
		TestSocket onB = track(TestSocket.connect(portB, token()));
		onA.next("hello");
		onB.next("hello");

		Thread flow = Thread.ofVirtual().start(() -> {
			// About 100 notifications a second, so that the kill falls in the middle of
			// the flow.
			for (int n = 1; n <= NOTIFICATIONS; n++) {
				lane.deliver(InAppLane.notification(TENANT, this.user, n));
				LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
			}
		});
		List<JsonNode> seenOnA = new ArrayList<>(
				onA.until((frame) -> TestSocket.isNotification(frame) && frame.get("seq").longValue() >= 100));
		nodeA.destroyForcibly().waitFor();
		assertThat(onA.closeCode()).isNotEqualTo(1000);
		seenOnA.addAll(onA.drain());
		long lastSeen = lastSeq(seenOnA);

		TestSocket resumed = track(TestSocket.connect(portB, token()));
		resumed.next("hello");
		resumed.send("{\"type\":\"resume\",\"since\":" + lastSeen + "}");
		flow.join();
		List<JsonNode> seenAfter = resumed
			.until((frame) -> TestSocket.isNotification(frame) && frame.get("seq").longValue() >= NOTIFICATIONS);

		List<JsonNode> all = Stream.concat(seenOnA.stream(), seenAfter.stream())
			.filter(TestSocket::isNotification)
			.toList();
		List<Long> expected = LongStream.rangeClosed(1, NOTIFICATIONS).boxed().toList();
		assertThat(all).extracting((frame) -> frame.get("seq").longValue()).containsExactlyElementsOf(expected);
		// One seq per notification: the writer of the killed node was redelivered its
		// batch, and appended nothing twice.
		assertThat(all).extracting((frame) -> frame.get("id").stringValue()).doesNotHaveDuplicates();
		assertThat(all).extracting((frame) -> frame.get("data").get("n").intValue())
			.containsExactlyElementsOf(LongStream.rangeClosed(1, NOTIFICATIONS).mapToObj((n) -> (int) n).toList());
		assertThat(onB.seqsUpTo(NOTIFICATIONS)).containsExactlyElementsOf(expected);
		assertThat(nodeB.isActive()).isTrue();
	}

	private static long lastSeq(List<JsonNode> frames) {
		return frames.stream()
			.filter(TestSocket::isNotification)
			.mapToLong((frame) -> frame.get("seq").longValue())
			.max()
			.orElse(0);
	}

	private String token() {
		return TestTokens.token(TENANT, this.user);
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	private ConfigurableApplicationContext startInProcess(int port) {
		List<String> arguments = new ArrayList<>();
		settings(port).forEach((name, value) -> arguments.add("--" + name + "=" + value));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class)
			.run(arguments.toArray(String[]::new));
		track(context::close);
		return context;
	}

	private Process startProcess(int port) throws IOException {
		File jar;
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			jar = files
				.filter((path) -> path.getFileName()
					.toString()
					.matches("websocket-gateway-[^-]+-SNAPSHOT\\.jar|websocket-gateway-[0-9.]+\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("package the gateway first (mvn package)"))
				.toFile();
		}
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
				"-Xmx256m", "-jar", jar.getAbsolutePath()));
		settings(port).forEach((name, value) -> command.add("--" + name + "=" + value));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logs.resolve("node-a.log").toFile()))
			.start();
		track(() -> process.destroyForcibly().waitFor());
		return process;
	}

	/**
	 * The management port of the node on an API port, a free one chosen at the node's
	 * first start.
	 */
	private static int managementPort(int port) {
		return MANAGEMENT_PORTS.computeIfAbsent(port, (apiPort) -> FreePorts.find());
	}

	private static Map<String, Object> settings(int port) {
		Map<String, Object> settings = new HashMap<>();
		settings.put("server.port", port);
		settings.put("management.server.port", managementPort(port));
		settings.put("spring.kafka.bootstrap-servers", SharedInfra.kafka().bootstrapServers());
		settings.put("spring.data.redis.port", SharedInfra.redis().port());
		settings.put("herald.kafka.partitions", 4);
		settings.put("herald.gateway.jwt.tenants[0].tenant", TENANT);
		settings.put("herald.gateway.jwt.tenants[0].secret", TestTokens.SECRET);
		// A killed node's partitions move to the other node after this long.
		settings.put("spring.kafka.consumer.properties[session.timeout.ms]", 6000);
		settings.put("spring.kafka.consumer.properties[heartbeat.interval.ms]", 1000);
		return settings;
	}

	private static void awaitReady(int port) {
		HttpClient http = HttpClient.newHttpClient();
		await().atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> http
				.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + managementPort(port) + "/actuator/health/readiness"))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200);
	}

}
