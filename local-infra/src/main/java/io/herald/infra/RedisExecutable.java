package io.herald.infra;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Locates the {@code redis-server} binary: the {@value #ENVIRONMENT_VARIABLE} environment
 * variable, then {@code PATH}, then the usual install directories of Linux distributions and
 * Homebrew.
 */
final class RedisExecutable {

	static final String ENVIRONMENT_VARIABLE = "HERALD_REDIS_SERVER";

	static final String INSTALL_HINT = "install it (Debian/Ubuntu: apt-get install -y redis-server; "
			+ "macOS: brew install redis) or set " + ENVIRONMENT_VARIABLE;

	private static final String NAME = "redis-server";

	private static final List<String> USUAL_DIRECTORIES = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin",
			"/opt/homebrew/bin");

	private RedisExecutable() {
	}

	/**
	 * Returns the binary to run.
	 * @param explicit a path chosen in code, which wins over everything else, or {@code null}
	 * @param environment the environment to read {@value #ENVIRONMENT_VARIABLE} and {@code PATH} from
	 * @return an executable file
	 * @throws IllegalStateException with a one-line message saying what to install
	 */
	static Path locate(@Nullable Path explicit, Map<String, String> environment) {
		return locate(explicit, environment, USUAL_DIRECTORIES);
	}

	static Path locate(@Nullable Path explicit, Map<String, String> environment, List<String> usualDirectories) {
		if (explicit != null) {
			return requireExecutable(explicit, explicit.toString());
		}
		String configured = environment.get(ENVIRONMENT_VARIABLE);
		if (configured != null && !configured.isBlank()) {
			return requireExecutable(Path.of(configured), ENVIRONMENT_VARIABLE + "=" + configured);
		}
		for (Path directory : searchPath(environment.get("PATH"), usualDirectories)) {
			Path candidate = directory.resolve(NAME);
			if (isExecutableFile(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException(NAME + " not found: " + INSTALL_HINT);
	}

	private static List<Path> searchPath(@Nullable String path, List<String> usualDirectories) {
		List<Path> directories = new ArrayList<>();
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				if (!entry.isBlank()) {
					directories.add(Path.of(entry));
				}
			}
		}
		usualDirectories.forEach((directory) -> directories.add(Path.of(directory)));
		return directories;
	}

	private static Path requireExecutable(Path candidate, String source) {
		if (!isExecutableFile(candidate)) {
			throw new IllegalStateException(NAME + " not found at " + source + ": " + INSTALL_HINT);
		}
		return candidate;
	}

	private static boolean isExecutableFile(Path candidate) {
		return Files.isRegularFile(candidate) && Files.isExecutable(candidate);
	}

}
