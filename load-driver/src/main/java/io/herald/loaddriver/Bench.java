package io.herald.loaddriver;

/**
 * The driver as a library: runs one scenario with the command line's arguments and returns its
 * report. The chaos suite runs scenarios this way while it kills processes.
 */
public final class Bench {

	private Bench() {
	}

	/**
	 * Runs a scenario.
	 * @param args {@code <scenario> [--name value]...}, as on the command line
	 * @throws IllegalArgumentException if the arguments are wrong or cannot work on this machine
	 */
	public static Report run(String... args) throws InterruptedException {
		return run(() -> {
		}, args);
	}

	/**
	 * Runs a targeted, reconnect or mixed scenario, calling {@code disruption} on its own thread
	 * halfway through the measured time.
	 * @throws IllegalArgumentException if the arguments are wrong or cannot work on this machine
	 */
	public static Report run(Runnable disruption, String... args) throws InterruptedException {
		return run(Options.parse(args), disruption);
	}

	static Report run(Options options, Runnable disruption) throws InterruptedException {
		return switch (options.scenario()) {
			case "targeted", "reconnect", "mixed" -> new TargetedScenario(options, disruption).run();
			case "fanout" -> new FanOutScenario(options).run();
			case "fanout-routing" -> new RoutingFanOutScenario(options).run();
			case "idle" -> new IdleScenario(options).run();
			case "delivery" -> new DeliveryScenario(options, disruption).run();
			default -> new IngestScenario(options).run();
		};
	}

}
