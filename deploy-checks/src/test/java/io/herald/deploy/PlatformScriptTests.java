package io.herald.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code platform} script's answers that need no JDK, build or stack: what it says to
 * someone who runs it without arguments, and to a command it does not know.
 */
class PlatformScriptTests {

	@Test
	void withoutArgumentsItListsTheCommandsAndSaysWhatToRunFirst() throws Exception {
		Result result = run();

		assertThat(result.exitCode()).isZero();
		assertThat(result.stdout()).contains("Usage: ./platform <command>")
			.contains("Start with:")
			.contains("  ./platform up ")
			.contains("README.md's quick start");
	}

	@Test
	void anUnknownCommandIsNamedWithTheUsageAndExitCodeTwo() throws Exception {
		Result result = run("deploy");

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.stderr()).contains("unknown command 'deploy'").contains("Usage: ./platform <command>");
	}

	private static Result run(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("bash", Repository.file("platform").toString()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(Repository.root().toFile()).start();
		process.getOutputStream().close();
		byte[] stdout = process.getInputStream().readAllBytes();
		byte[] stderr = process.getErrorStream().readAllBytes();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8),
				new String(stderr, StandardCharsets.UTF_8));
	}

	private record Result(int exitCode, String stdout, String stderr) {
	}

}
