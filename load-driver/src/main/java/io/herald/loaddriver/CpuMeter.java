package io.herald.loaddriver;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures the CPU the stack's processes use over a scenario's measured period: a
 * scenario calls {@link #startAt(long)} when its period starts and {@link #end()} where
 * it stops its measured clock; {@link #attachTo(Report)} then adds the CPU each process
 * used to the scenario's report. A scenario that never starts the meter reports no CPU.
 */
final class CpuMeter {

	private final StackProcesses processes;

	private @Nullable CompletableFuture<StackProcesses.Snapshot> start;

	private @Nullable CompletableFuture<StackProcesses.Snapshot> end;

	CpuMeter(StackProcesses processes) {
		this.processes = processes;
	}

	/**
	 * Takes the first snapshot at {@code nanoTime} ({@link System#nanoTime()}), on a
	 * thread of its own, so that a loop pacing requests is not held up by reading
	 * {@code /proc}.
	 */
	void startAt(long nanoTime) {
		this.start = CompletableFuture.supplyAsync(() -> {
			for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
				LockSupport.parkNanos(left);
			}
			return snapshot();
		}, (task) -> Thread.ofPlatform().daemon().name("cpu-meter").start(task));
	}

	/** Takes the last snapshot, now; called again, moves the end of the period to now. */
	void end() {
		if (this.start != null) {
			this.start.exceptionally((ex) -> null).join();
			this.end = CompletableFuture.supplyAsync(this::snapshot, Runnable::run);
		}
	}

	/**
	 * The report with the CPU each process used added, or the report as it is if nothing
	 * was measured.
	 */
	Report attachTo(Report report) {
		if (this.start == null || this.end == null || report instanceof NotMeasured) {
			return report;
		}
		CpuUsage usage;
		try {
			usage = CpuUsage.between(this.start.join(), this.end.join(), this.processes.ticksPerSecond(),
					report.work());
		}
		catch (CompletionException ex) {
			Throwable cause = (ex.getCause() instanceof UncheckedIOException io) ? io.getCause() : ex.getCause();
			usage = CpuUsage.unavailable(String.valueOf(cause.getMessage()), report.work());
		}
		return new CpuReport(report, usage);
	}

	private StackProcesses.Snapshot snapshot() {
		try {
			return this.processes.snapshot();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A scenario's report with the CPU its period cost.
	 *
	 * @param measured what the scenario measured
	 * @param cpu the CPU each process used meanwhile
	 */
	record CpuReport(Report measured, CpuUsage cpu) implements Report {

		@Override
		public String table() {
			return this.measured.table() + this.cpu.table();
		}

		@Override
		public String json() {
			return Json.withMember(this.measured.json(), "cpu", this.cpu.json());
		}

		@Override
		public boolean complete() {
			return this.measured.complete();
		}

		@Override
		public @Nullable Accounting accounting() {
			return this.measured.accounting();
		}

		@Override
		public long duplicatedOn(String channel) {
			return this.measured.duplicatedOn(channel);
		}

		@Override
		public Work work() {
			return this.measured.work();
		}

	}

}
