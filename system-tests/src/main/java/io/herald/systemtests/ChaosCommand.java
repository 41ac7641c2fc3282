package io.herald.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.herald.localstack.LocalStack;
import io.herald.localstack.LocalStackSettings;
import io.herald.localstack.Service;

/**
 * {@code platform chaos [options]}, the main class of this module's executable jar:
 * starts a local stack of its own on free ports (so that it never disturbs a stack
 * started with {@code platform up}), runs the {@link Chaos} suite on it, prints what each
 * fault killed and how long recovery took, then one line of counts per fault, and stops
 * the stack. The faults that break one node of a Kafka cluster, and the Redis failover,
 * run on a second, replicated stack: {@value Chaos.Fault#CLUSTER_NODES} Kafka nodes and a
 * Redis primary with a replica; the others on a stack with one broker and one Redis. Exit
 * code 0 when every fault happened and ended with nothing lost, duplicated or out of
 * order, 1 otherwise, 2 for wrong options.
 */
final class ChaosCommand {

	/**
	 * The delivery service's claim lease in chaos runs: sends a killed process had
	 * claimed are taken over this soon, well within the drain time.
	 */
	static final Map<String, String> DELIVERY_ENVIRONMENT = Map.of("HERALD_DELIVERY_LEDGER_LEASE", "5s");

	/** Generous: on a busy machine, routing's first rebalance alone can take minutes. */
	static final Duration READINESS_TIMEOUT = Duration.ofSeconds(300);

	private ChaosCommand() {
	}

	/**
	 * Runs the chaos suite and exits with its code.
	 * @param args the options of {@link Chaos.Settings#USAGE}
	 */
	public static void main(String[] args) throws InterruptedException {
		System.exit(run(Path.of(System.getProperty("herald.home", "")), args));
	}

	static int run(Path home, String... args) throws InterruptedException {
		if (args.length == 1 && Chaos.Settings.HELP.contains(args[0])) {
			System.out.print(Chaos.Settings.USAGE);
			return 0;
		}
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
		List<Chaos.Fault> single = settings.faults().stream().filter((fault) -> !fault.needsReplication()).toList();
		List<Chaos.Fault> replicated = settings.faults().stream().filter(Chaos.Fault::needsReplication).toList();
		if (!single.isEmpty()) {
			logs.add(data.resolve("single").resolve("logs"));
			outcomes.addAll(run(home, settings(data.resolve("single"), 1), false, settings.withFaults(single)));
		}
		if (!replicated.isEmpty()) {
			logs.add(data.resolve("replicated").resolve("logs"));
			outcomes.addAll(run(home, settings(data.resolve("replicated"), Chaos.Fault.CLUSTER_NODES), true,
					settings.withFaults(replicated)));
		}
		outcomes.forEach((outcome) -> System.out.println(outcome.fault().id() + ": " + outcome.disruption().line()));
		System.out.print(Chaos.HEADER);
		outcomes.forEach((outcome) -> System.out.println(outcome.line()));
		System.out.println("logs: " + String.join(" ", logs.stream().map(Path::toString).toList()));
		return outcomes.stream().allMatch(Chaos.Outcome::clean) ? 0 : 1;
	}

	private static List<Chaos.Outcome> run(Path home, LocalStackSettings stackSettings, boolean replicated,
			Chaos.Settings settings) throws InterruptedException {
		try (LocalStack stack = stack(stackSettings, home, replicated)) {
			stack.start();
			return new Chaos(stack, settings).run();
		}
	}

	/**
	 * A chaos stack, not started: its broker in a process of its own (only that can be
	 * killed with SIGKILL) and, if {@code replicated}, its Redis a primary with a
	 * replica.
	 */
	static LocalStack stack(LocalStackSettings stackSettings, Path home, boolean replicated) {
		LocalStack stack = new LocalStack(stackSettings, home);
		stack.environment("delivery", DELIVERY_ENVIRONMENT);
		stack.runKafkaInChildProcess();
		if (replicated) {
			stack.runRedisWithReplica();
		}
		return stack;
	}

	/**
	 * A stack with every service and one Kafka broker, each part on a free port, data in
	 * {@code data}.
	 */
	static LocalStackSettings settings(Path data) {
		return settings(data, 1);
	}

	/**
	 * A stack with every service and {@code kafkaBrokers} Kafka nodes, each part (and
	 * each management port) on a free port, data in {@code data}.
	 */
	static LocalStackSettings settings(Path data, int kafkaBrokers) {
		return LocalStackSettings.onFreePorts(data, READINESS_TIMEOUT, kafkaBrokers,
				Service.ALL.stream().map(Service::name).toList());
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
