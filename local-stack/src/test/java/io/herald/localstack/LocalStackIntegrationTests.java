package io.herald.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.herald.infra.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class LocalStackIntegrationTests {

	@TempDir
	Path data;

	@Test
	void startsKafkaAndRedisAndStopsThemOnClose() throws Exception {
		LocalStackSettings settings = settings();
		try (LocalStack stack = new LocalStack(settings, this.data)) {
			stack.start();
			assertThat(stack.readyLine()).startsWith("READY kafka=127.0.0.1:" + settings.kafkaPort());
			try (Admin admin = admin(settings)) {
				assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
			}
			assertThat(redis(settings, "PING")).isEqualTo("+PONG");
		}
		assertThat(FreePorts.isFree(settings.kafkaPort())).isTrue();
		assertThat(FreePorts.isFree(settings.redisPort())).isTrue();
		assertThat(settings.logDirectory().resolve("redis-server.log")).exists();
	}

	@Test
	void keepsKafkaTopicsAndRedisKeysAcrossRestarts() throws Exception {
		LocalStackSettings settings = settings();
		try (LocalStack stack = new LocalStack(settings, this.data)) {
			stack.start();
			try (Admin admin = admin(settings)) {
				admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
			}
			assertThat(redis(settings, "SET kept yes")).isEqualTo("+OK");
		}
		try (LocalStack stack = new LocalStack(settings, this.data)) {
			stack.start();
			try (Admin admin = admin(settings)) {
				assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
			}
			assertThat(redis(settings, "GET kept")).isEqualTo("$3");
		}
	}

	@Test
	void refusesToStartWhenAPortIsTakenAndNamesItsVariable() throws IOException {
		LocalStackSettings settings = settings();
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress("127.0.0.1", settings.redisPort()));
			try (LocalStack stack = new LocalStack(settings, this.data)) {
				assertThatExceptionOfType(LocalStackException.class).isThrownBy(stack::start)
					.withMessageContaining("Port " + settings.redisPort() + " (HERALD_REDIS_PORT) is already in use");
				assertThat(stack.kafka()).isNull();
			}
		}
	}

	@Test
	void missingServiceJarIsReportedWithTheBuildCommand() {
		LocalStackSettings settings = settingsWithService("ingestion-service");
		try (LocalStack stack = new LocalStack(settings, this.data)) {
			assertThatExceptionOfType(LocalStackException.class).isThrownBy(stack::start)
				.withMessageStartingWith(
						"No jar of ingestion-service in " + this.data.resolve("ingestion-service/target"));
			assertThat(stack.kafka()).isNull();
		}
	}

	@Test
	void startsServicesWithTheirEnvironmentAndStopsThemFirstOnClose() throws Exception {
		ServiceJars.write(this.data, "fake-service", FakeService.class);
		LocalStackSettings settings = settingsWithService("fake-service");
		Service fake = settings.services().get(0);
		List<ProcessHandle> before = children();
		ProcessHandle child;
		try (LocalStack stack = new LocalStack(settings, this.data)) {
			stack.start();
			assertThat(stack.readyLine()).startsWith("READY fake=" + fake.url() + " kafka=");
			assertThat(get(fake.url() + "/env")).contains("HERALD_KAFKA_BOOTSTRAP=127.0.0.1:" + settings.kafkaPort(),
					"HERALD_REDIS_HOST=127.0.0.1", "HERALD_REDIS_PORT=" + settings.redisPort(),
					"SERVER_PORT=" + fake.port(), "MANAGEMENT_SERVER_PORT=" + fake.managementPort(),
					"HERALD_APIKEYS_0_TENANT=demo", "HERALD_APIKEYS_0_NAME=demo",
					"HERALD_APIKEYS_0_SHA256=" + ServiceEnvironment.sha256Hex("demo-key"),
					"HERALD_DEMO_JWT_SECRET=" + LocalStackSettings.DEFAULT_DEMO_JWT_SECRET,
					"HERALD_GATEWAY_JWT_TENANTS_0_TENANT=demo",
					"HERALD_GATEWAY_JWT_TENANTS_0_SECRET=" + LocalStackSettings.DEFAULT_DEMO_JWT_SECRET);
			child = children().stream().filter((process) -> !before.contains(process)).findFirst().orElseThrow();
		}
		assertThat(child.isAlive()).isFalse();
		assertThat(children()).as("processes left behind").isSubsetOf(before);
		assertThat(settings.logDirectory().resolve("fake-service.log")).content().contains("fake service listening");
	}

	@Test
	void serviceThatDiesIsReportedAsAnUnexpectedExit() throws Exception {
		ServiceJars.write(this.data, "fake-service", FakeService.class);
		LocalStackSettings settings = settingsWithService("fake-service");
		try (LocalStack stack = new LocalStack(settings, this.data)) {
			stack.start();
			CompletableFuture<ServiceProcess> unexpectedExit = stack.unexpectedExit();
			assertThat(unexpectedExit).isNotDone();
			try {
				get(settings.services().get(0).url() + "/crash");
			}
			catch (IOException ex) {
				// The service may die before its answer arrives.
			}
			await().atMost(Duration.ofSeconds(10)).until(unexpectedExit::isDone);
			assertThat(unexpectedExit.get().service().module()).isEqualTo("fake-service");
		}
	}

	@Test
	void serviceThatExitsBeforeBeingReadyFailsTheStartNamingItsLog() throws Exception {
		ServiceJars.write(this.data, "failing-service", FailingService.class);
		LocalStackSettings settings = settingsWithService("failing-service");
		Path log = settings.logDirectory().resolve("failing-service.log");
		List<ProcessHandle> before = children();
		try (LocalStack stack = new LocalStack(settings, this.data)) {
			assertThatExceptionOfType(LocalStackException.class).isThrownBy(stack::start)
				.withMessageStartingWith("failing-service exited with code 1 before it was ready; see " + log)
				.withMessageContaining("boom: missing configuration");
		}
		assertThat(log).content().contains("boom: missing configuration");
		assertThat(children()).as("processes left behind").isSubsetOf(before);
	}

	/**
	 * This JVM's child processes: besides a test's own stack, another test class may have
	 * processes of its own running (the test JVM does not promise the order of classes).
	 */
	private static List<ProcessHandle> children() {
		return ProcessHandle.current().children().toList();
	}

	private LocalStackSettings settingsWithService(String module) {
		List<Integer> ports = FreePorts.find(4);
		return new LocalStackSettings(
				ports.get(0), ports.get(1), "demo", "demo-key", LocalStackSettings.DEFAULT_DEMO_JWT_SECRET,
				this.data.resolve("data"), List.of(new Service(module.replace("-service", ""), module,
						"HERALD_TEST_PORT", ports.get(2), "HERALD_TEST_MANAGEMENT_PORT", ports.get(3))),
				Duration.ofSeconds(60));
	}

	private static String get(String url) throws IOException, InterruptedException {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
				.body();
		}
	}

	private LocalStackSettings settings() {
		List<Integer> ports = FreePorts.find(2);
		return new LocalStackSettings(ports.get(0), ports.get(1), "demo", "demo-key",
				LocalStackSettings.DEFAULT_DEMO_JWT_SECRET, this.data.resolve("data"), List.of(),
				Duration.ofSeconds(30));
	}

	private static Admin admin(LocalStackSettings settings) {
		return Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + settings.kafkaPort()));
	}

	/** Sends an inline command and returns the first line of the reply. */
	private static String redis(LocalStackSettings settings, String command) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", settings.redisPort())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
				.readLine();
		}
	}

}
