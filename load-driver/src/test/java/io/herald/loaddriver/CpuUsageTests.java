package io.herald.loaddriver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CpuUsageTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final long SECOND = 1_000_000_000L;

	private static final StackProcesses.Instance INGESTION = new StackProcesses.Instance("ingestion", 10, 500);

	private static final StackProcesses.Instance GATEWAY = new StackProcesses.Instance("gateway", 20, 600);

	private static final StackProcesses.Instance SECOND_GATEWAY = new StackProcesses.Instance("gateway", 21, 700);

	private static final StackProcesses.Instance ROUTING = new StackProcesses.Instance("routing", 30, 400);

	private static final StackProcesses.Instance RESTARTED_ROUTING = new StackProcesses.Instance("routing", 31, 9_000);

	private static final StackProcesses.Instance DRIVER = new StackProcesses.Instance(StackProcesses.DRIVER, 40, 800);

	@TempDir
	Path proc;

	/**
	 * Ten seconds at 100 ticks a second; 2,000 notifications delivered; routing restarted
	 * meanwhile.
	 */
	private final CpuUsage usage = CpuUsage.between(
			new StackProcesses.Snapshot(5 * SECOND,
					Map.of(INGESTION, 1_000L, GATEWAY, 50L, SECOND_GATEWAY, 70L, ROUTING, 300L, DRIVER, 4_000L),
					new StackProcesses.Machine(10_000, 30_000, 2)),
			new StackProcesses.Snapshot(15 * SECOND,
					Map.of(INGESTION, 1_250L, GATEWAY, 150L, SECOND_GATEWAY, 170L, RESTARTED_ROUTING, 30L, DRIVER,
							4_400L),
					new StackProcesses.Machine(11_500, 32_000, 2)),
			100, new Report.Work(2_000, "delivered notification"));

	@Test
	void eachProcessCountsItsTicksInThePeriod() {
		assertThat(this.usage.seconds()).isEqualTo(10.0);
		assertThat(this.usage.rows()).containsExactly(new CpuUsage.Row("ingestion", 10, 2.5),
				new CpuUsage.Row("routing", 31, 0.3), new CpuUsage.Row("gateway", 20, 1.0),
				new CpuUsage.Row("gateway#2", 21, 1.0), new CpuUsage.Row(StackProcesses.DRIVER, 40, 4.0));
		assertThat(this.usage.exited()).containsExactly("routing (pid 30)");
	}

	@Test
	void cpuPerNotificationAndShareOfACore() {
		assertThat(this.usage.percentOfCore(2.5)).isEqualTo(25.0);
		assertThat(this.usage.millisEach(2.5)).isEqualTo(1.25);
		assertThat(this.usage.machineBusy()).isEqualTo(0.75);
	}

	@Test
	void platformTotalLeavesTheDriverOut() {
		assertThat(this.usage.platformSeconds()).isEqualTo(2.5 + 0.3 + 1.0 + 1.0);
		assertThat(this.usage.millisEach(this.usage.platformSeconds())).isEqualTo(2.4);
	}

	@Test
	void withoutWorkThereIsNoCostPerNotification() {
		CpuUsage idle = new CpuUsage(10, List.of(new CpuUsage.Row("ingestion", 10, 1.0)), List.of(), 0.1, 2,
				new Report.Work(0, "accepted event"), null);
		assertThat(idle.millisEach(1.0)).isNaN();
		assertThat(idle.table()).contains("n/a");
		assertThat(JSON.readTree(idle.json()).path("platform").path("msPerUnit").isNull()).isTrue();
	}

	@Test
	void reportShowsATableAndAJsonMember() {
		Report report = new CpuMeter.CpuReport(new RoutingFanOutScenario.Routed(2_000, 1.5, 2_000, 10.0, 2_000, 10.5),
				this.usage);

		assertThat(report.table()).contains("time to all routed").contains("""
				  CPU over the measured 10.0 s, per delivered notification (2000), from /proc
				    process                     pid     CPU s  % of a core   ms each
				    ingestion                    10      2.50         25.0     1.250
				    routing                      31      0.30          3.0     0.150
				    gateway                      20      1.00         10.0     0.500
				    gateway#2                    21      1.00         10.0     0.500
				    platform total                       4.80         48.0     2.400
				    driver                       40      4.00         40.0     2.000  (not in the total)
				    machine busy 75.0 % of 2 cores
				    exited during the period, not counted: routing (pid 30)
				""");
		JsonNode json = JSON.readTree(report.json());
		assertThat(json.path("scenario").asString()).isEqualTo("fanout-routing");
		JsonNode cpu = json.path("cpu");
		assertThat(cpu.path("unit").asString()).isEqualTo("delivered notification");
		assertThat(cpu.path("platform").path("msPerUnit").asDouble()).isEqualTo(2.4);
		assertThat(cpu.path("processes").get(3).path("name").asString()).isEqualTo("gateway#2");
		assertThat(cpu.path("processes").get(4).path("cpuSeconds").asDouble()).isEqualTo(4.0);
		assertThat(cpu.path("machineBusyPercent").asDouble()).isEqualTo(75.0);
	}

	@Test
	void meterAddsTheStackProcessesToAMeasuredRun() throws IOException {
		Path gateway = Files.createDirectories(this.proc.resolve("20"));
		Files.writeString(gateway.resolve("cmdline"), "java\0-jar\0websocket-gateway-0.1.0.jar\0");
		Files.writeString(gateway.resolve("stat"), "20 (java) S 1 1 1 0 -1 0 0 0 0 0 30 5 0 0 20 0 9 0 600 0 0\n");
		Files.writeString(this.proc.resolve("stat"), "cpu  1 0 1 8 0 0 0 0 0 0\ncpu0 1 0 1 8 0 0 0 0 0 0\n");
		CpuMeter meter = new CpuMeter(new StackProcesses(this.proc, 1, 100, 16379));
		meter.startAt(System.nanoTime());
		meter.end();

		Report report = meter.attachTo(new RoutingFanOutScenario.Routed(10, 0.1, 10, 1.0, 10, 1.2));

		assertThat(report.work()).isEqualTo(new Report.Work(10, "routed delivery"));
		assertThat(report.complete()).isTrue();
		assertThat(report.table()).contains("per routed delivery (10)").containsPattern("gateway +20 +0\\.00");
	}

	@Test
	void withoutProcTheRunReportsCpuAsNotAvailable() {
		CpuMeter meter = new CpuMeter(new StackProcesses(this.proc.resolve("absent"), 1, 100, 16379));
		meter.startAt(System.nanoTime());
		meter.end();

		Report report = meter.attachTo(new RoutingFanOutScenario.Routed(10, 0.1, 10, 1.0, 10, 1.2));

		assertThat(report.table()).contains("CPU per process     not available (no ");
		assertThat(JSON.readTree(report.json()).path("cpu").path("unavailable").asString()).startsWith("no ");
	}

	@Test
	void aRunThatNeverStartedItsPeriodReportsNoCpu() {
		Report routed = new RoutingFanOutScenario.Routed(10, 0.1, 10, 1.0, 10, 1.2);
		assertThat(new CpuMeter(new StackProcesses(this.proc, 1, 100, 16379)).attachTo(routed)).isSameAs(routed);
	}

	@Test
	void jsonMemberGoesAtTheObjectsEnd() {
		assertThat(Json.withMember("{\"a\": 1}\n", "cpu", "{}")).isEqualTo("{\"a\": 1,\n \"cpu\": {}}\n");
		assertThat(Json.withMember("{ }", "cpu", "null")).isEqualTo("{\"cpu\": null}");
	}

}
