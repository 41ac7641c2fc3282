package io.herald.loaddriver;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;

/** {@code platform bench <scenario> [options]}: runs a scenario and prints and saves its results. */
public final class LoadDriver {

	private LoadDriver() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("bench: " + ex.getMessage());
			System.err.print(Options.USAGE);
			System.exit(2);
			return;
		}
		PrintStream out = System.out;
		if ("fanout".equals(options.scenario())) {
			out.print(new FanOutScenario(options).run());
			return;
		}
		Results results = new IngestScenario(options).run();
		out.print(results.table());
		if (options.json() != null) {
			Files.writeString(options.json(), results.json());
			out.println("results written to " + options.json());
		}
	}

}
