package io.herald.loaddriver;

import java.util.function.BooleanSupplier;

/**
 * The driver as a library: runs one scenario with the command line's arguments and
 * returns its report. The chaos suite runs scenarios this way while it kills processes.
 */
public final class Bench {

	private Bench() {
	}

	/**
	 * Runs a scenario.
	 * @param args {@code <scenario> [--name value]...}, as on the command line
	 * @throws IllegalArgumentException if the arguments are wrong or cannot work on this
	 * machine
	 */
	public static Report run(String... args) throws InterruptedException {
		return run(() -> {
		}, args);
	}

	/**
	 * Runs a targeted, reconnect or mixed scenario, calling {@code disruption} on its own
	 * thread halfway through the measured time.
	 * @throws IllegalArgumentException if the arguments are wrong or cannot work on this
	 * machine
	 */
	public static Report run(Runnable disruption, String... args) throws InterruptedException {
		return run(Options.parse(args), disruption, () -> false);
	}

	/**
	 * Runs a targeted, ingest or fanout scenario that stops sending once {@code stop}
	 * answers {@code true} (asked before each event is sent; for fanout, before each
	 * round), then waits for what it sent as usual. The local stack's warm-up ends this
	 * way when other load arrives.
	 * @throws IllegalArgumentException if the arguments are wrong or cannot work on this
	 * machine
	 */
	public static Report runUntil(BooleanSupplier stop, String... args) throws InterruptedException {
		return run(Options.parse(args), () -> {
		}, stop);
	}

	/**
	 * Runs a scenario and adds the CPU the stack's processes used over its measured
	 * period to its report (see {@link CpuMeter}).
	 */
	static Report run(Options options, Runnable disruption, BooleanSupplier stop) throws InterruptedException {
		CpuMeter cpu = new CpuMeter(StackProcesses.local());
		Report report = switch (options.scenario()) {
			case "targeted", "reconnect", "mixed" -> new TargetedScenario(options, disruption, stop, cpu).run();
			case "fanout" -> new FanOutScenario(options, stop, cpu).run();
			case "fanout-routing" -> new RoutingFanOutScenario(options, cpu).run();
			case "idle" -> new IdleScenario(options).run();
			case "connect" -> new ConnectScenario(options, cpu).run();
			case "delivery" -> new DeliveryScenario(options, disruption, cpu).run();
			default -> new IngestScenario(options, stop, cpu).run();
		};
		return cpu.attachTo(report);
	}

}
