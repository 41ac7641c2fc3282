package io.herald.infra;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Locates a binary of the system's: the environment variable named for it, then
 * {@code PATH}, then the usual install directories of Linux distributions and Homebrew.
 *
 * @param name the file name, for example {@code redis-server}
 * @param environmentVariable the variable that names the binary's path
 * @param installHint what to install, in one line, for the error message
 */
record SystemExecutable(String name, String environmentVariable, String installHint) {

	private static final List<String> USUAL_DIRECTORIES = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin",
			"/opt/homebrew/bin");

	/** The Redis server. */
	static final SystemExecutable REDIS = new SystemExecutable("redis-server", "HERALD_REDIS_SERVER",
			"install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis)");

	/** The Prometheus server. */
	static final SystemExecutable PROMETHEUS = new SystemExecutable("prometheus", "HERALD_PROMETHEUS",
			"install it (Debian/Ubuntu: apt-get install -y prometheus; macOS: brew install prometheus)");

	/**
	 * Returns the binary to run.
	 * @param explicit a path chosen in code, which wins over everything else, or
	 * {@code null}
	 * @param environment the environment to read the variable and {@code PATH} from
	 * @return an executable file
	 * @throws IllegalStateException with a one-line message saying what to install
	 */
	Path locate(@Nullable Path explicit, Map<String, String> environment) {
		return locate(explicit, environment, USUAL_DIRECTORIES);
	}

	Path locate(@Nullable Path explicit, Map<String, String> environment, List<String> usualDirectories) {
		if (explicit != null) {
			return requireExecutable(explicit, explicit.toString());
		}
		String configured = environment.get(this.environmentVariable);
		if (configured != null && !configured.isBlank()) {
			return requireExecutable(Path.of(configured), this.environmentVariable + "=" + configured);
		}
		for (Path directory : searchPath(environment.get("PATH"), usualDirectories)) {
			Path candidate = directory.resolve(this.name);
			if (isExecutableFile(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException(this.name + " not found: " + hint());
	}

	private String hint() {
		return this.installHint + " or set " + this.environmentVariable;
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

	private Path requireExecutable(Path candidate, String source) {
		if (!isExecutableFile(candidate)) {
			throw new IllegalStateException(this.name + " not found at " + source + ": " + hint());
		}
		return candidate;
	}

	private static boolean isExecutableFile(Path candidate) {
		return Files.isRegularFile(candidate) && Files.isExecutable(candidate);
	}

}
