package io.herald.localstack;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.herald.infra.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A launcher killed with {@code SIGKILL} (as by {@code kill -9}, a closed terminal or the
 * out-of-memory killer) runs no shutdown hook; what it started must still end by itself
 * and free its ports, so that the next {@code ./platform up} can start.
 */
@EnabledOnOs(OS.LINUX)
class KilledLauncherIntegrationTests {

	@TempDir
	Path home;

	@Test
	void nothingTheLauncherStartedOutlivesAKillNine() throws Exception {
		ServiceJars.write(this.home, "fake-service", FakeService.class);
		List<Integer> ports = FreePorts.find(4);
		Process launcher = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
				System.getProperty("java.class.path"), Launcher.class.getName(), this.home.toString(),
				ports.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow())
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader output = new BufferedReader(
					new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
			String line;
			do {
				line = output.readLine();
			}
			while (line != null && !line.startsWith("READY "));
			assertThat(line).as("the launcher's READY line").isNotNull();
			List<ProcessHandle> started = launcher.toHandle().descendants().toList();
			assertThat(started).as("redis-server and the service")
				.anyMatch((process) -> commandLine(process).contains("redis"))
				.anyMatch((process) -> commandLine(process).contains("fake-service"));
			launcher.destroyForcibly();
			assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> assertThat(started).as("processes left running").noneMatch(ProcessHandle::isAlive));
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ports).allMatch(FreePorts::isFree));
		}
		finally {
			launcher.destroyForcibly();
			launcher.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
		}
	}

	private static String commandLine(ProcessHandle process) {
		return process.info().commandLine().orElse("");
	}

	/**
	 * The launcher: a local stack with Kafka, Redis and one service on the given ports,
	 * which prints its ready line and waits to be killed.
	 */
	public static final class Launcher {

		public static void main(String[] args) throws Exception {
			Path home = Path.of(args[0]);
			String[] ports = args[1].split(",");
			LocalStackSettings settings = new LocalStackSettings(Integer.parseInt(ports[0]), Integer.parseInt(ports[1]),
					"demo", "demo-key", LocalStackSettings.DEFAULT_DEMO_JWT_SECRET, home.resolve("data"),
					List.of(new Service("fake", "fake-service", "HERALD_TEST_PORT", Integer.parseInt(ports[2]),
							"HERALD_TEST_MANAGEMENT_PORT", Integer.parseInt(ports[3]))),
					Duration.ofSeconds(60));
			LocalStack stack = new LocalStack(settings, home);
			stack.start();
			System.out.println(stack.readyLine());
			System.out.flush();
			// Until the test kills it, or the test's JVM is gone and with it the other
			// end of stdin.
			System.in.read();
		}

	}

}
