package io.herald.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ServerProcessTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void startReturnsOnceTheServerSaysItIsReady() throws IOException {
		ServerProcess server = server();
		Process process = server.start(shell("sleep 0.2; touch ready; exec sleep 300"), TIMEOUT,
				(started) -> Files.exists(this.directory.resolve("ready")) ? null : "no ready file yet");
		try {
			assertThat(this.directory.resolve("ready")).exists();
			assertThat(server.isRunning()).isTrue();
			assertThat(server.pid()).isEqualTo(process.pid());
		}
		finally {
			server.stop();
		}
		assertThat(server.isRunning()).isFalse();
		assertThat(server.pid()).isEqualTo(-1);
		assertThat(process.isAlive()).isFalse();
	}

	@Test
	void eachStartAppendsToTheOutputOfTheEarlierOnes() throws IOException {
		ServerProcess server = server();
		for (int run = 1; run <= 2; run++) {
			server.start(shell("echo run " + run + "; exec sleep 300"), TIMEOUT, readyOncePrinted("run " + run));
			server.stop();
		}
		assertThat(this.directory.resolve("output.log")).hasContent("run 1\nrun 2");
	}

	@Test
	void aServerThatExitsBeforeItIsReadyFailsWithTheTailOfItsOutput() {
		ServerProcess server = server();
		assertThatIllegalStateException().isThrownBy(
				() -> server.start(shell("echo address already in use >&2; exit 3"), TIMEOUT, (started) -> "no answer"))
			.withMessageStartingWith("test-server on port 1 exited with code 3 before it was ready; last lines of ")
			.withMessageEndingWith("output.log:\n  address already in use");
		assertThat(server.isRunning()).isFalse();
	}

	@Test
	void aServerThatIsNotReadyInTimeIsKilledAndFailsSayingWhy() {
		ServerProcess server = server();
		AtomicReference<Process> started = new AtomicReference<>();
		assertThatIllegalStateException()
			.isThrownBy(() -> server.start(shell("echo loading; exec sleep 300"), Duration.ofSeconds(1), (process) -> {
				started.set(process);
				return "still loading";
			}))
			.withMessageStartingWith("test-server on port 1 was not ready within 1 s (still loading)")
			.withMessageEndingWith("output.log:\n  loading");
		assertThat(started.get().isAlive()).isFalse();
		assertThat(started.get().exitValue()).as("SIGKILL").isEqualTo(128 + 9);
		assertThat(server.isRunning()).isFalse();
	}

	@Test
	void killEndsTheServerAtOnceAndReturnsItsPid() throws IOException {
		ServerProcess server = server();
		Process process = server.start(shell("trap '' TERM; echo ready; while true; do sleep 1; done"), TIMEOUT,
				readyOncePrinted("ready"));
		assertThat(server.kill()).isEqualTo(process.pid());
		assertThat(process.exitValue()).isEqualTo(128 + 9);
		assertThat(server.isRunning()).isFalse();
	}

	@Test
	void killingAServerThatDoesNotRunFailsClearly() {
		ServerProcess server = server();
		assertThatIllegalStateException().isThrownBy(server::kill).withMessage("test-server on port 1 is not running");
	}

	@Test
	void stoppingAServerThatDoesNotRunDoesNothing() {
		ServerProcess server = server();
		server.stop();
		assertThat(server.isRunning()).isFalse();
	}

	@Test
	void aStartupTimeoutMustBePositive() {
		assertThat(ServerProcess.checkStartupTimeout(Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
		assertThatIllegalArgumentException().isThrownBy(() -> ServerProcess.checkStartupTimeout(Duration.ZERO))
			.withMessage("startupTimeout must be positive, but was PT0S");
	}

	private ServerProcess server() {
		return new ServerProcess("test-server", "test-server on port 1", this.directory.resolve("output.log"),
				Duration.ofSeconds(10));
	}

	private ProcessBuilder shell(String script) {
		return new ProcessBuilder("sh", "-c", script).directory(this.directory.toFile());
	}

	private ServerProcess.Readiness readyOncePrinted(String line) {
		return (process) -> {
			try {
				return Files.readAllLines(this.directory.resolve("output.log")).contains(line) ? null
						: "has not printed " + line;
			}
			catch (IOException ex) {
				return ex.toString();
			}
		};
	}

}
