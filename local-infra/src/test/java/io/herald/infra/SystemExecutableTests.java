package io.herald.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SystemExecutableTests {

	private static final String NOT_FOUND = "redis-server not found: install it (Debian/Ubuntu: apt-get install -y "
			+ "redis-server; macOS: brew install redis) or set HERALD_REDIS_SERVER";

	@TempDir
	Path directory;

	@Test
	void environmentVariableWinsOverPath() throws IOException {
		Path configured = executable(this.directory.resolve("custom"), "my-redis");
		Path onPath = executable(this.directory.resolve("bin"), "redis-server");
		Path found = SystemExecutable.REDIS.locate(null,
				Map.of("HERALD_REDIS_SERVER", configured.toString(), "PATH", onPath.getParent().toString()), List.of());
		assertThat(found).isEqualTo(configured);
	}

	@Test
	void pathIsSearchedBeforeTheUsualDirectories() throws IOException {
		Path onPath = executable(this.directory.resolve("bin"), "redis-server");
		Path usual = executable(this.directory.resolve("usual"), "redis-server");
		Path found = SystemExecutable.REDIS.locate(null, Map.of("PATH", "/nowhere:" + onPath.getParent()),
				List.of(usual.getParent().toString()));
		assertThat(found).isEqualTo(onPath);
	}

	@Test
	void usualDirectoriesAreSearchedWhenPathHasNoRedis() throws IOException {
		Path usual = executable(this.directory.resolve("usual"), "redis-server");
		Path found = SystemExecutable.REDIS.locate(null, Map.of("PATH", "/nowhere"),
				List.of(usual.getParent().toString()));
		assertThat(found).isEqualTo(usual);
	}

	@Test
	void missingBinaryFailsWithOneLineSayingWhatToInstall() {
		assertThatIllegalStateException()
			.isThrownBy(
					() -> SystemExecutable.REDIS.locate(null, Map.of("PATH", "/nowhere"), List.of("/nowhere/either")))
			.withMessage(NOT_FOUND);
	}

	@Test
	void wrongEnvironmentVariableIsNamedInTheError() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SystemExecutable.REDIS.locate(null,
					Map.of("HERALD_REDIS_SERVER", "/nowhere/redis-server"), List.of()))
			.withMessageStartingWith("redis-server not found at HERALD_REDIS_SERVER=/nowhere/redis-server: install it")
			.withMessageNotContaining("\n");
	}

	@Test
	void nonExecutableFileIsNotAccepted() throws IOException {
		Path plain = Files.createFile(this.directory.resolve("redis-server"));
		assertThatIllegalStateException().isThrownBy(() -> SystemExecutable.REDIS.locate(plain, Map.of(), List.of()))
			.withMessageStartingWith("redis-server not found at " + plain);
	}

	private static Path executable(Path directory, String name) throws IOException {
		Files.createDirectories(directory);
		Path file = Files.createFile(directory.resolve(name));
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		return file;
	}

}
