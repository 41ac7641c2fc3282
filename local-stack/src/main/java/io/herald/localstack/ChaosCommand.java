package io.herald.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.herald.infra.FreePorts;

/**
 * {@code platform chaos [options]}: starts a local stack of its own on free ports (so that it
 * never disturbs a stack started with {@code platform up}), runs the {@link Chaos} suite on it,
 * prints what each fault killed and how long recovery took, then one line of counts per fault, and
 * stops the stack. The faults that break one node of a Kafka cluster run on a second stack, with
 * {@value Chaos.Fault#CLUSTER_NODES} Kafka nodes; the others on a stack with one broker. Exit code 0 when every fault happened and ended with nothing lost, duplicated or
 * out of order, 1 otherwise, 2 for wrong options.
 */
final class ChaosCommand {

	/**
	 * The delivery service's claim lease in chaos runs: sends a killed process had claimed are
	 * taken over this soon, well within the drain time.
	 */
	static final Map<String, String> DELIVERY_ENVIRONMENT = Map.of("HERALD_DELIVERY_LEDGER_LEASE", "5s");

	/** Generous: on a busy machine, routing's first rebalance alone can take minutes. */
	static final Duration READINESS_TIMEOUT = Duration.ofSeconds(300);

	private ChaosCommand() {
	}

	static int run(Path home, String... args) throws InterruptedException {
		Chaos.Settings settings;
		try {
			settings = Chaos.Settings.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("chaos: " + ex.getMessage());
			System.err.print(Chaos.Settings.USAGE);
			return 2;
		}
		Path data = temporaryDirectory();
		List<Chaos.Outcome> outcomes = new ArrayList<>();
		List<Path> logs = new ArrayList<>();
		List<Chaos.Fault> oneBroker = settings.faults().stream().filter((fault) -> !fault.needsCluster()).toList();
		List<Chaos.Fault> cluster = settings.faults().stream().filter(Chaos.Fault::needsCluster).toList();
		if (!oneBroker.isEmpty()) {
			logs.add(data.resolve("one-broker").resolve("logs"));
			outcomes.addAll(run(home, settings(data.resolve("one-broker"), 1), settings.withFaults(oneBroker)));
		}
		if (!cluster.isEmpty()) {
			logs.add(data.resolve("kafka-cluster").resolve("logs"));
			outcomes.addAll(run(home, settings(data.resolve("kafka-cluster"), Chaos.Fault.CLUSTER_NODES),
					settings.withFaults(cluster)));
		}
		outcomes.forEach((outcome) -> System.out.println(outcome.fault().id() + ": " + outcome.disruption().line()));
		System.out.print(Chaos.HEADER);
		outcomes.forEach((outcome) -> System.out.println(outcome.line()));
		System.out.println("logs: " + String.join(" ", logs.stream().map(Path::toString).toList()));
		return outcomes.stream().allMatch(Chaos.Outcome::clean) ? 0 : 1;
	}

	private static List<Chaos.Outcome> run(Path home, LocalStackSettings stackSettings, Chaos.Settings settings)
			throws InterruptedException {
		try (LocalStack stack = new LocalStack(stackSettings, home)) {
			stack.environment("delivery", DELIVERY_ENVIRONMENT);
			// Only a broker in a process of its own can be killed with SIGKILL.
			stack.runKafkaInChildProcess();
			stack.start();
			return new Chaos(stack, settings).run();
		}
	}

	/** A stack with every service and one Kafka broker, each part on a free port, data in {@code data}. */
	static LocalStackSettings settings(Path data) {
		return settings(data, 1);
	}

	/**
	 * A stack with every service and {@code kafkaBrokers} Kafka nodes, each part (and each
	 * management port) on a free port, data in {@code data}.
	 */
	static LocalStackSettings settings(Path data, int kafkaBrokers) {
		List<Integer> ports = FreePorts.find(2 + 2 * Service.ALL.size());
		List<Service> services = Service.ALL.stream()
			.map((service) -> {
				int index = 2 + 2 * Service.ALL.indexOf(service);
				return service.withPorts(ports.get(index), ports.get(index + 1));
			})
			.toList();
		return new LocalStackSettings(ports.get(0), ports.get(1), "demo", "demo-key",
				LocalStackSettings.DEFAULT_DEMO_JWT_SECRET, data, services, READINESS_TIMEOUT, 0, Duration.ZERO, false,
				kafkaBrokers);
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("herald-chaos-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
