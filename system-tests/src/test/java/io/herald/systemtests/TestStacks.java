package io.herald.systemtests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.herald.localstack.LocalStackSettings;

/**
 * Settings of stacks for the system tests: Kafka, Redis and the chosen services, each on
 * a free port, started from the jars under the repository root.
 */
final class TestStacks {

	/** The repository root, which holds each service's {@code <module>/target}. */
	static final Path HOME = Path.of("..").toAbsolutePath().normalize();

	/** A cold service on a busy machine starts in well under this. */
	private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(180);

	private TestStacks() {
	}

	/**
	 * A stack of the demo tenant with the named services ({@code ingestion},
	 * {@code routing}, {@code gateway}, {@code delivery}) and one Kafka broker, its data
	 * in {@code data}.
	 */
	static LocalStackSettings onFreePorts(Path data, String... services) {
		return LocalStackSettings.onFreePorts(data, READINESS_TIMEOUT, 1, List.of(services));
	}

}
