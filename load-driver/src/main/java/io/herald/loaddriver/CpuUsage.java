package io.herald.loaddriver;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CPU time each process of the stack used over a run's measured period, and what it
 * comes to per notification. The platform's total leaves the driver out: on a shared
 * machine the driver competes with the platform, but its cost is not the platform's.
 *
 * @param seconds how long the period was
 * @param rows one per process, in {@link StackProcesses#ORDER}; several instances of a
 * role are {@code gateway}, {@code gateway#2}, ...
 * @param exited processes that exited during the period, whose CPU time is missing
 * @param machineBusy the share of all cores' time the machine was busy, {@code 0} to
 * {@code 1}
 * @param cores the machine's cores
 * @param work what the CPU time is divided by
 * @param unavailable why nothing could be measured, or {@code null}
 */
record CpuUsage(double seconds, List<Row> rows, List<String> exited, double machineBusy, int cores, Report.Work work,
		@Nullable String unavailable) {

	/**
	 * One process.
	 *
	 * @param name its role, numbered from the second instance on
	 * @param pid its process id
	 * @param cpuSeconds user and system CPU time it used in the period
	 */
	record Row(String name, long pid, double cpuSeconds) {

		boolean driver() {
			return this.name.equals(StackProcesses.DRIVER);
		}

	}

	/**
	 * A run on a system without {@code /proc}, or whose {@code /proc} could not be read.
	 */
	static CpuUsage unavailable(String reason, Report.Work work) {
		return new CpuUsage(0, List.of(), List.of(), Double.NaN, 0, work, reason);
	}

	/**
	 * The CPU used between two snapshots. A process seen only at the end started during
	 * the period, so all of its time counts.
	 */
	static CpuUsage between(StackProcesses.Snapshot start, StackProcesses.Snapshot end, long ticksPerSecond,
			Report.Work work) {
		List<StackProcesses.Instance> processes = end.ticks()
			.keySet()
			.stream()
			.sorted(Comparator.comparingInt((StackProcesses.Instance p) -> StackProcesses.ORDER.indexOf(p.role()))
				.thenComparingLong(StackProcesses.Instance::started)
				.thenComparingLong(StackProcesses.Instance::pid))
			.toList();
		Map<String, Integer> instances = new HashMap<>();
		List<Row> rows = new ArrayList<>();
		for (StackProcesses.Instance process : processes) {
			int instance = instances.merge(process.role(), 1, Integer::sum);
			long ticks = end.ticks().get(process) - start.ticks().getOrDefault(process, 0L);
			rows.add(new Row((instance == 1) ? process.role() : process.role() + "#" + instance, process.pid(),
					ticks / (double) ticksPerSecond));
		}
		List<String> exited = start.ticks()
			.keySet()
			.stream()
			.filter((process) -> !end.ticks().containsKey(process))
			.map((process) -> process.role() + " (pid " + process.pid() + ")")
			.sorted()
			.toList();
		long total = end.machine().total() - start.machine().total();
		double busy = (total > 0) ? (end.machine().busy() - start.machine().busy()) / (double) total : Double.NaN;
		return new CpuUsage((end.nanoTime() - start.nanoTime()) / 1e9, rows, exited, busy, end.machine().cores(), work,
				null);
	}

	/** The CPU time of every process but the driver. */
	double platformSeconds() {
		return this.rows.stream().filter((row) -> !row.driver()).mapToDouble(Row::cpuSeconds).sum();
	}

	/** CPU time as a percentage of one core over the period. */
	double percentOfCore(double cpuSeconds) {
		return (this.seconds > 0) ? 100 * cpuSeconds / this.seconds : Double.NaN;
	}

	/** CPU milliseconds per unit of work, {@code NaN} when there was none. */
	double millisEach(double cpuSeconds) {
		return (this.work.count() > 0) ? 1000 * cpuSeconds / this.work.count() : Double.NaN;
	}

	String table() {
		if (this.unavailable != null) {
			return "  CPU per process     not available (" + this.unavailable + ")\n";
		}
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "  CPU over the measured %.1f s, per %s (%d), from /proc%n", this.seconds,
				this.work.unit(), this.work.count()));
		out.append(String.format(Locale.ROOT, "    %-22s %8s %9s %12s %9s%n", "process", "pid", "CPU s", "% of a core",
				"ms each"));
		this.rows.stream()
			.filter((row) -> !row.driver())
			.forEach((row) -> out.append(row(row.name(), Long.toString(row.pid()), row.cpuSeconds(), "")));
		out.append(row("platform total", "", platformSeconds(), ""));
		this.rows.stream()
			.filter(Row::driver)
			.forEach((row) -> out
				.append(row(row.name(), Long.toString(row.pid()), row.cpuSeconds(), "  (not in the total)")));
		out.append(String.format(Locale.ROOT, "    machine busy %s of %d cores%n",
				number(100 * this.machineBusy, "%.1f %%"), this.cores));
		if (!this.exited.isEmpty()) {
			out.append("    exited during the period, not counted: ")
				.append(String.join(", ", this.exited))
				.append('\n');
		}
		return out.toString();
	}

	private String row(String name, String pid, double cpuSeconds, String note) {
		return String.format(Locale.ROOT, "    %-22s %8s %9.2f %12s %9s%s%n", name, pid, cpuSeconds,
				number(percentOfCore(cpuSeconds), "%.1f"), number(millisEach(cpuSeconds), "%.3f"), note);
	}

	String json() {
		if (this.unavailable != null) {
			return "{\"unavailable\": " + Json.string(this.unavailable) + "}";
		}
		String processes = this.rows.stream()
			.map((row) -> String.format(Locale.ROOT, "{\"name\": %s, \"pid\": %d, %s}", Json.string(row.name()),
					row.pid(), jsonFigures(row.cpuSeconds())))
			.collect(Collectors.joining(",\n  "));
		return String.format(Locale.ROOT, """
				{"seconds": %.3f, "unit": %s, "count": %d, "machineBusyPercent": %s, "cores": %d,
				 "platform": {%s},
				 "processes": [
				  %s],
				 "exited": [%s]}""", this.seconds, Json.string(this.work.unit()), this.work.count(),
				number(100 * this.machineBusy, "null", "%.1f"), this.cores, jsonFigures(platformSeconds()), processes,
				this.exited.stream().map(Json::string).collect(Collectors.joining(", ")));
	}

	private String jsonFigures(double cpuSeconds) {
		return String.format(Locale.ROOT, "\"cpuSeconds\": %.3f, \"percentOfCore\": %s, \"msPerUnit\": %s", cpuSeconds,
				number(percentOfCore(cpuSeconds), "null", "%.2f"), number(millisEach(cpuSeconds), "null", "%.4f"));
	}

	private static String number(double value, String format) {
		return number(value, "n/a", format);
	}

	private static String number(double value, String missing, String format) {
		return Double.isNaN(value) ? missing : String.format(Locale.ROOT, format, value);
	}

}
