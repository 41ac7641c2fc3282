package io.herald.loaddriver;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the gateway's memory from its {@code /actuator/prometheus} on its management port
 * (API.md section 4): the JVM's used memory ({@code jvm_memory_used_bytes}) of the heap
 * and of every pool, direct buffers, and resident memory when the JVM exports
 * {@code process_resident_memory_bytes} (Micrometer does not on every JVM) or, given the
 * gateway's process id, from {@code /proc/<pid>/status}.
 *
 * <p>
 * Heap readings include garbage not yet collected, and the actuator has no way to ask for
 * a collection, so {@link #sample(int)} takes several readings a second apart and the
 * smallest of each counts: with a collection among them, the smallest heap reading is the
 * one just after it. Each scrape allocates in the gateway (its text is hundreds of KiB),
 * so sampling longer also makes a young collection among the samples likely.
 */
final class GatewayMemory {

	private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s*(\\d+)\\s*kB");

	private final URI prometheus;

	private final @Nullable Long pid;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	GatewayMemory(URI gatewayManagementUrl, @Nullable Long pid) {
		this.prometheus = gatewayManagementUrl.resolve("/actuator/prometheus");
		this.pid = pid;
	}

	/**
	 * One reading of the gateway's memory.
	 *
	 * @param heapBytes used heap, every heap pool summed
	 * @param totalBytes used heap and non-heap (metaspace, code cache, ...)
	 * @param directBytes used direct buffers, or {@code -1} if not exported
	 * @param residentBytes the process's resident memory, or {@code -1} if it cannot be
	 * read
	 * @param webSockets the WebSockets the gateway counts open
	 * ({@code herald_gateway_connections}), or {@code -1}
	 * @param openFiles the files the gateway process has open
	 * ({@code process_files_open_files}), or {@code -1}
	 * @param collections garbage collections so far, every collector and cause
	 * ({@code jvm_gc_pause_seconds_count} summed)
	 */
	record Sample(long heapBytes, long totalBytes, long directBytes, long residentBytes, long webSockets,
			long openFiles, long collections) {

		/** The smallest of each reading over several samples. */
		static Sample min(List<Sample> samples) {
			return new Sample(samples.stream().mapToLong(Sample::heapBytes).min().orElse(-1),
					samples.stream().mapToLong(Sample::totalBytes).min().orElse(-1),
					samples.stream().mapToLong(Sample::directBytes).min().orElse(-1),
					samples.stream().mapToLong(Sample::residentBytes).min().orElse(-1),
					samples.stream().mapToLong(Sample::webSockets).min().orElse(-1),
					samples.stream().mapToLong(Sample::openFiles).min().orElse(-1),
					samples.stream().mapToLong(Sample::collections).min().orElse(-1));
		}

		/**
		 * Collections between the first and the last of some samples: without one, the
		 * smallest heap reading is no better than any other.
		 */
		static long collectionsDuring(List<Sample> samples) {
			return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).collections() - samples.get(0).collections();
		}

		Sample withResidentBytes(long bytes) {
			return new Sample(this.heapBytes, this.totalBytes, this.directBytes, bytes, this.webSockets, this.openFiles,
					this.collections);
		}

	}

	/** {@code count} readings a second apart, each kept. */
	List<Sample> sample(int count) throws InterruptedException {
		List<Sample> samples = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				Thread.sleep(1_000);
			}
			samples.add(read());
		}
		return samples;
	}

	/** Where resident memory is read from, for the report. */
	String residentSource() {
		if (parse(scrape()).residentBytes() >= 0) {
			return "from process_resident_memory_bytes";
		}
		return (this.pid != null) ? "from /proc/" + this.pid + "/status (the gateway does not export it)"
				: "none: the gateway does not export it (give --gateway-pid to read /proc)";
	}

	/** The text of one scrape. */
	String scrape() {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(this.prometheus).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(this.prometheus + " answered " + response.statusCode());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + this.prometheus + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Sample read() {
		Sample sample = parse(scrape());
		if (sample.residentBytes() < 0 && this.pid != null) {
			return sample.withResidentBytes(residentFromProc(this.pid));
		}
		return sample;
	}

	/** The readings of a Prometheus text exposition. */
	static Sample parse(String scrape) {
		long heap = 0;
		long total = 0;
		long direct = -1;
		long resident = -1;
		long webSockets = -1;
		long openFiles = -1;
		long collections = 0;
		for (String line : scrape.split("\n")) {
			if (line.startsWith("jvm_memory_used_bytes{")) {
				long value = value(line);
				total += value;
				if (line.contains("area=\"heap\"")) {
					heap += value;
				}
			}
			else if (line.startsWith("jvm_buffer_memory_used_bytes{") && line.contains("id=\"direct\"")) {
				direct = value(line);
			}
			else if (line.startsWith("process_resident_memory_bytes")) {
				resident = value(line);
			}
			else if (line.startsWith("herald_gateway_connections{") && line.contains("transport=\"websocket\"")) {
				webSockets = value(line);
			}
			else if (line.startsWith("process_files_open_files")) {
				openFiles = value(line);
			}
			else if (line.startsWith("jvm_gc_pause_seconds_count{")) {
				collections += value(line);
			}
		}
		return new Sample(heap, total, direct, resident, webSockets, openFiles, collections);
	}

	/**
	 * A sample line's value: the number after the labels (Micrometer writes no
	 * timestamps).
	 */
	private static long value(String line) {
		return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).strip());
	}

	private static long residentFromProc(long pid) {
		try {
			Matcher rss = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
			return rss.find() ? Long.parseLong(rss.group(1)) * 1024 : -1;
		}
		catch (IOException ex) {
			return -1;
		}
	}

}
