package io.herald.loaddriver;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an {@code idle} run measured.
 *
 * @param options the run's options
 * @param connected how long opening every connection took, until the last {@code hello}
 * @param held how long the connections were held after the last {@code hello}
 * @param before the gateway's memory samples before connecting
 * @param after its samples once every connection was open and {@code --settle} had passed
 * @param residentSource where resident memory came from, or why there is none
 * @param openAtEnd connections still open at the end
 * @param pingsSent {@code ping} frames the users sent
 * @param frames frames received, by type
 * @param closes connections the gateway closed or that failed, by close code or
 * {@code error}
 */
record IdleResults(Options options, Duration connected, Duration held, List<GatewayMemory.Sample> before,
		List<GatewayMemory.Sample> after, String residentSource, long openAtEnd, long pingsSent,
		Map<String, Long> frames, Map<String, Long> closes) implements Report {

	private static final double MIB = 1024.0 * 1024.0;

	GatewayMemory.Sample minBefore() {
		return GatewayMemory.Sample.min(this.before);
	}

	GatewayMemory.Sample minAfter() {
		return GatewayMemory.Sample.min(this.after);
	}

	/**
	 * Bytes per connection between two readings, or {@code NaN} when either is missing.
	 */
	double perConnection(long before, long after) {
		return (before < 0 || after < 0) ? Double.NaN : (after - before) / (double) this.options.users();
	}

	@Override
	public String table() {
		GatewayMemory.Sample from = minBefore();
		GatewayMemory.Sample to = minAfter();
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "scenario idle: %d WebSocket users held %.0f s (run %s)%n",
				this.options.users(), this.held.toMillis() / 1000.0, this.options.live().run()));
		out.append(String.format(Locale.ROOT, "  connected in        %10.1f s%n", this.connected.toMillis() / 1000.0));
		out.append(String.format(Locale.ROOT, "  open at end         %10d%n", this.openAtEnd));
		out.append(String.format(Locale.ROOT, "  gateway counts      %10d WebSockets, %d open files (before: %d, %d)%n",
				to.webSockets(), to.openFiles(), from.webSockets(), from.openFiles()));
		out.append(String.format(Locale.ROOT, "  closes              %s%n", this.closes));
		out.append(String.format(Locale.ROOT, "  pings sent          %10d%n", this.pingsSent));
		out.append(String.format(Locale.ROOT, "  frames received     %s%n", this.frames));
		out.append(String.format(Locale.ROOT,
				"  gateway memory, smallest of %d samples   before MiB   after MiB   per connection KiB%n",
				this.options.live().samples()));
		row(out, "heap", from.heapBytes(), to.heapBytes());
		row(out, "heap + non-heap", from.totalBytes(), to.totalBytes());
		row(out, "direct buffers", from.directBytes(), to.directBytes());
		row(out, "resident", from.residentBytes(), to.residentBytes());
		out.append("  resident memory ").append(this.residentSource).append('\n');
		out.append("  heap samples MiB    before ")
			.append(heaps(this.before))
			.append("  after ")
			.append(heaps(this.after))
			.append('\n');
		long collectionsBefore = GatewayMemory.Sample.collectionsDuring(this.before);
		long collectionsAfter = GatewayMemory.Sample.collectionsDuring(this.after);
		out.append(String.format(Locale.ROOT, "  collections during sampling   before %d  after %d%s%n",
				collectionsBefore, collectionsAfter, (collectionsBefore == 0 || collectionsAfter == 0)
						? "  (none in a window: its heap reading includes garbage; take more --samples)" : ""));
		return out.toString();
	}

	private void row(StringBuilder out, String name, long before, long after) {
		if (before < 0 || after < 0) {
			out.append(String.format(Locale.ROOT, "    %-16s %30s%n", name, "n/a"));
			return;
		}
		out.append(String.format(Locale.ROOT, "    %-16s %18.1f %11.1f %20.1f%n", name, before / MIB, after / MIB,
				perConnection(before, after) / 1024.0));
	}

	private static String heaps(List<GatewayMemory.Sample> samples) {
		return samples.stream()
			.map((sample) -> String.format(Locale.ROOT, "%.0f", sample.heapBytes() / MIB))
			.collect(Collectors.joining(" "));
	}

	@Override
	public String json() {
		GatewayMemory.Sample from = minBefore();
		GatewayMemory.Sample to = minAfter();
		return String.format(Locale.ROOT, """
				{"scenario": "idle", "run": %s, "users": %d, "connectSeconds": %.1f, "heldSeconds": %.1f,
				 "openAtEnd": %d, "pingsSent": %d, "frames": {%s}, "closes": {%s}, "samples": %d,
				 "collectionsDuringSampling": {"before": %d, "after": %d},
				 "before": %s,
				 "after": %s,
				 "bytesPerConnection": {"heap": %s, "total": %s, "direct": %s, "resident": %s},
				 "residentSource": %s}
				""", Json.string(this.options.live().run()), this.options.users(), this.connected.toMillis() / 1000.0,
				this.held.toMillis() / 1000.0, this.openAtEnd, this.pingsSent, Json.members(this.frames),
				Json.members(this.closes), this.options.live().samples(),
				GatewayMemory.Sample.collectionsDuring(this.before), GatewayMemory.Sample.collectionsDuring(this.after),
				json(from), json(to), number(perConnection(from.heapBytes(), to.heapBytes())),
				number(perConnection(from.totalBytes(), to.totalBytes())),
				number(perConnection(from.directBytes(), to.directBytes())),
				number(perConnection(from.residentBytes(), to.residentBytes())), Json.string(this.residentSource));
	}

	private static String json(GatewayMemory.Sample sample) {
		return String.format(Locale.ROOT,
				"{\"heapBytes\": %d, \"totalBytes\": %d, \"directBytes\": %s, \"residentBytes\": %s, "
						+ "\"webSockets\": %s, \"openFiles\": %s}",
				sample.heapBytes(), sample.totalBytes(), orNull(sample.directBytes()), orNull(sample.residentBytes()),
				orNull(sample.webSockets()), orNull(sample.openFiles()));
	}

	private static String orNull(long value) {
		return (value < 0) ? "null" : Long.toString(value);
	}

	private static String number(double value) {
		return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.0f", value);
	}

}
