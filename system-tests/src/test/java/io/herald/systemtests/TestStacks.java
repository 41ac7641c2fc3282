package io.herald.systemtests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.herald.localstack.LocalStack;
import io.herald.localstack.LocalStackSettings;
import io.herald.localstack.Service;

/**
 * Settings of stacks for the system tests: Kafka, Redis and the chosen services, each on
 * a free port, started from the jars under the repository root.
 */
final class TestStacks {

	/** The repository root, which holds each service's {@code <module>/target}. */
	static final Path HOME = Path.of("..").toAbsolutePath().normalize();

	/** A cold service on a busy machine starts in well under this. */
	private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(180);

	/**
	 * Partitions per topic in the test stacks, as in the services' own integration tests:
	 * a third of the default's twelve. A stack's one instance of each service reads every
	 * partition either way; with fewer, a broker creates and, after a SIGKILL, recovers a
	 * third of the logs, and routing runs a third of the tasks.
	 */
	static final String PARTITIONS = "4";

	private TestStacks() {
	}

	/** A stack with these settings, its services' topics of {@link #PARTITIONS}. */
	static LocalStack stack(LocalStackSettings settings) {
		return withTestPartitions(new LocalStack(settings, HOME), settings);
	}

	/**
	 * Gives every service of {@code settings} topics of {@link #PARTITIONS}, from its
	 * first start.
	 */
	static LocalStack withTestPartitions(LocalStack stack, LocalStackSettings settings) {
		for (Service service : settings.services()) {
			stack.environment(service.name(), Map.of("HERALD_KAFKA_PARTITIONS", PARTITIONS));
		}
		return stack;
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
