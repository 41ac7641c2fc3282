package io.herald.infra;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EnabledOnOs(OS.LINUX)
class BoundProcessesTests {

	@Test
	void aChildEndsWhenItsParentJvmIsKilled() throws Exception {
		Process parent = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
				BoundChild.class.getName())
			.redirectErrorStream(true)
			.start();
		try {
			String line = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))
				.readLine();
			assertThat(line).as("the parent's first line").startsWith("child ");
			ProcessHandle child = ProcessHandle.of(Long.parseLong(line.substring("child ".length()))).orElseThrow();
			assertThat(child.isAlive()).isTrue();
			parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
			assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> !child.isAlive());
		}
		finally {
			parent.destroyForcibly();
		}
	}

	@Test
	void aChildOutlivesTheThreadThatAskedForIt() throws Exception {
		Process[] started = new Process[1];
		Thread caller = Thread.ofPlatform().start(() -> {
			try {
				started[0] = BoundProcesses.start("sleep", new ProcessBuilder("sleep", "60"));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		caller.join();
		Process child = started[0];
		try {
			// The kernel would signal the child within this time if the ended thread had
			// been its parent.
			assertThat(child.waitFor(1, TimeUnit.SECONDS)).isFalse();
			assertThat(child.isAlive()).isTrue();
		}
		finally {
			child.destroyForcibly();
		}
	}

	@Test
	void theProgramKeepsItsOwnPid() throws Exception {
		Process child = BoundProcesses.start("sh", new ProcessBuilder("sh", "-c", "echo $$"));
		String pid = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(pid).isEqualTo(Long.toString(child.pid()));
	}

	@Test
	void aBoundCommandRunsTheProgramThroughSetprivWithAParentDeathSignal() {
		assertThat(BoundProcesses.bindsChildren()).isTrue();
		assertThat(BoundProcesses.bound(Path.of("/usr/bin/setpriv"), List.of("redis-server", "--port", "1")))
			.containsExactly("/usr/bin/setpriv", "--pdeathsig", "TERM", "--", "redis-server", "--port", "1");
	}

	@Test
	void terminateStopsAProcessThatEndsOnSigterm() throws Exception {
		Process child = BoundProcesses.start("sleep", new ProcessBuilder("sleep", "300"));
		assertThat(BoundProcesses.terminate(child, Duration.ofSeconds(10))).isTrue();
		assertThat(child.isAlive()).isFalse();
	}

	@Test
	void terminateKillsAProcessThatIgnoresSigterm() throws Exception {
		Process child = BoundProcesses.start("sh",
				new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; while true; do sleep 1; done"));
		try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
			assertThat(output.readLine()).isEqualTo("ready");
			assertThat(BoundProcesses.terminate(child, Duration.ofMillis(500))).isFalse();
			assertThat(child.isAlive()).isFalse();
		}
	}

	@Test
	void killEndsAProcessAtOnceAndReturnsItsPid() throws Exception {
		Process child = BoundProcesses.start("sleep", new ProcessBuilder("sleep", "300"));
		assertThat(BoundProcesses.kill(child, Duration.ofSeconds(10))).isEqualTo(child.pid());
		assertThat(child.exitValue()).isEqualTo(128 + 9);
	}

	@Test
	void outputTailEndsAMessageWithTheLastLinesOfTheFile(@TempDir Path directory) throws Exception {
		Path output = Files.writeString(directory.resolve("child.log"), "one\ntwo\nthree\n");
		assertThat(BoundProcesses.outputTail(output, 2)).isEqualTo("; last lines of " + output + ":\n  two\n  three");
		assertThat(BoundProcesses.outputTail(directory.resolve("missing.log"), 2)).isEmpty();
	}

	private static String javaCommand() {
		return ProcessHandle.current().info().command().orElseThrow();
	}

	/**
	 * A parent JVM: starts a bound {@code sleep}, prints its pid and waits to be killed.
	 */
	public static final class BoundChild {

		public static void main(String[] args) throws Exception {
			Process child = BoundProcesses.start("sleep", new ProcessBuilder("sleep", "300"));
			System.out.println("child " + child.pid());
			System.out.flush();
			// Until the test kills it, or the test's JVM is gone and with it the other
			// end of stdin.
			System.in.read();
		}

	}

}
