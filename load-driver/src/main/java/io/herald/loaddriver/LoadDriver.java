package io.herald.loaddriver;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;

/**
 * {@code platform bench <scenario> [options]}: runs a scenario and prints and saves its
 * results.
 */
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
		Report report;
		try {
			report = Bench.run(options, () -> {
			}, () -> false);
		}
		catch (IllegalArgumentException ex) {
			// Settings that cannot work on this machine, such as more users than open
			// files allow.
			System.err.println("bench: " + ex.getMessage());
			System.exit(2);
			return;
		}
		out.print(report.table());
		if (options.json() != null) {
			Files.writeString(options.json(), report.json());
			out.println("results written to " + options.json());
		}
		if (!report.complete()) {
			System.exit(1);
		}
	}

}
