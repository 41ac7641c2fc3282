package io.herald.loaddriver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assumptions.assumeThat;

class StackProcessesTests {

	private static final String JAVA = "/opt/jdk/bin/java";

	@TempDir
	Path proc;

	@Test
	void statCountsUserAndSystemTimeAndTheChildrensFromTheLastParenthesis() {
		StackProcesses.Stat stat = StackProcesses.stat(stat(4242, "a) (b c) S 9 (x", 250, 50, 123_456));
		assertThat(stat).isEqualTo(new StackProcesses.Stat(300, 10, 123_456));
	}

	@Test
	void statReadsALineAsLinuxWritesIt() {
		String line = "10986 (cat) R 10978 10978 9754 0 -1 4194304 99 0 0 0 3 1 0 0 20 0 1 0 61134 3133440 382 "
				+ "18446744073709551615 93980120326144 93980120346025 140735475528256 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
		assertThat(StackProcesses.stat(line)).isEqualTo(new StackProcesses.Stat(4, 0, 61_134));
	}

	@Test
	void machineIsBusyExceptWhenIdleOrWaitingForIo() {
		String procStat = """
				cpu  54076 10 5365 61409 560 3 207 72 40 0
				cpu0 26919 5 2274 31535 48 1 54 32 20 0
				cpu1 27157 5 3091 29874 512 2 153 40 20 0
				intr 1 2 3
				ctxt 99
				""";
		assertThat(StackProcesses.machine(procStat)).isEqualTo(new StackProcesses.Machine(
				54076 + 10 + 5365 + 3 + 207 + 72, 54076 + 10 + 5365 + 61409 + 560 + 3 + 207 + 72, 2));
	}

	@Test
	void commandLinesNameTheServices() {
		assertThat(role(JAVA, "-Xmx1g", "-jar",
				"/srv/herald/ingestion-service/target/ingestion-service-0.1.0-SNAPSHOT.jar"))
			.isEqualTo("ingestion");
		assertThat(role(JAVA, "-jar", "routing-service-1.2.3.jar")).isEqualTo("routing");
		assertThat(role("java", "-jar", "/x/delivery-service-0.1.0-SNAPSHOT.jar")).isEqualTo("delivery");
		assertThat(role(JAVA, "-jar", "/x/websocket-gateway-0.1.0-SNAPSHOT.jar", "--server.port=8083"))
			.isEqualTo("gateway");
		assertThat(
				role(JAVA, "-cp", "/x/classes:/y/websocket-gateway-0.1.0.jar", "io.herald.gateway.GatewayApplication"))
			.isEqualTo("gateway");
	}

	@Test
	void commandLinesNameTheInfrastructure() {
		assertThat(role(JAVA, "-Xmx2g", "-Dherald.home=/x", "-jar",
				"/x/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar"))
			.isEqualTo(StackProcesses.LOCAL_STACK);
		// As ./platform up starts it: its classes unpacked, from their AOT cache.
		assertThat(role(JAVA, "--sun-misc-unsafe-memory-access=allow", "-Dherald.home=/x",
				"-XX:AOTCache=/x/local-stack/target/aot/launcher.aot", "-Xlog:aot*=error", "-jar",
				"/x/local-stack/target/aot/local-stack-0.1.0-SNAPSHOT.jar"))
			.isEqualTo(StackProcesses.LOCAL_STACK);
		// Started by its main class, as an IDE starts it.
		assertThat(role(JAVA, "-cp", "/x/local-stack/target/classes:/x/a.jar", "io.herald.localstack.LocalStackCommand",
				"up"))
			.isEqualTo(StackProcesses.LOCAL_STACK);
		assertThat(
				role(JAVA, "-Xmx512m", "-cp", "/x/a.jar:/x/b.jar", "io.herald.infra.KafkaBrokerMain", "9092", "9093"))
			.isEqualTo("kafka-broker");
		assertThat(role(JAVA, "-Xmx512m", "-cp", "/x/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar",
				"-Dloader.main=io.herald.infra.KafkaBrokerMain",
				"org.springframework.boot.loader.launch.PropertiesLauncher", "9092"))
			.isEqualTo("kafka-broker");
		assertThat(role(JAVA, "-Xmx512m", "-cp", "/x/system-tests/target/system-tests-0.1.0-SNAPSHOT-exec.jar",
				"-Dloader.main=io.herald.infra.KafkaBrokerMain",
				"org.springframework.boot.loader.launch.PropertiesLauncher", "9092"))
			.isEqualTo("kafka-broker");
		assertThat(role("/usr/bin/redis-server 127.0.0.1:6379")).isEqualTo("redis");
		assertThat(role("redis-server *:6379")).isEqualTo("redis");
	}

	@Test
	void otherCommandLinesAreNotTheStack() {
		assertThat(role(JAVA, "-jar", "/x/local-stack-0.1.0-SNAPSHOT-exec.jar", "tail")).isNull();
		// The chaos suite's JVM drives its own load: as a driver, it is not the stack.
		assertThat(role(JAVA, "-jar", "/x/system-tests-0.1.0-SNAPSHOT-exec.jar", "--faults", "kafka")).isNull();
		assertThat(role(JAVA, "-jar", "/x/load-driver-0.1.0-SNAPSHOT-exec.jar", "targeted")).isNull();
		assertThat(role(JAVA, "-cp", "io.herald.gateway.GatewayApplication", "org.example.Main")).isNull();
		assertThat(role("/usr/bin/redis-cli", "-p", "6379")).isNull();
		assertThat(role("vim", "-jar", "ingestion-service-1.0.jar")).isNull();
		assertThat(StackProcesses.role(StackProcesses.argv(new byte[0]))).isNull();
	}

	@Test
	void snapshotReadsEveryStackProcessAndTheMachineWithTheEndedForksOfRedis() throws IOException {
		process(100, 30, 5, 1_000, JAVA, "-jar", "/x/websocket-gateway-0.1.0.jar");
		process(101, 40, 2, 1_100, JAVA, "-jar", "/x/websocket-gateway-0.1.0.jar");
		process(102, 7, 1, 900, "redis-server 127.0.0.1:16379");
		process(103, 99, 0, 800, "/bin/bash", "./platform", "up");
		process(106, 50, 5, 700, "/usr/bin/redis-server 127.0.0.1:6379");
		process(104, 12, 3, 1_200, JAVA, "-jar", "/x/load-driver-0.1.0-exec.jar");
		Files.createDirectories(this.proc.resolve("105"));
		Files.writeString(this.proc.resolve("stat"),
				"cpu  500 0 100 1400 0 0 0 0 0 0\ncpu0 500 0 100 1400 0 0 0 0 0 0\n");

		StackProcesses.Snapshot snapshot = new StackProcesses(this.proc, 104, 100, 16379).snapshot();

		assertThat(snapshot.ticks()).isEqualTo(Map.of(new StackProcesses.Instance("gateway", 100, 1_000), 35L,
				new StackProcesses.Instance("gateway", 101, 1_100), 42L, new StackProcesses.Instance("redis", 102, 900),
				18L, new StackProcesses.Instance(StackProcesses.DRIVER, 104, 1_200), 15L));
		assertThat(snapshot.machine()).isEqualTo(new StackProcesses.Machine(600, 2_000, 1));
	}

	@Test
	void aRedisCountsOnlyOnTheStacksPort() {
		assertThat(StackProcesses.listensOn("redis-server 127.0.0.1:16379", 16379)).isTrue();
		assertThat(StackProcesses.listensOn("/usr/bin/redis-server *:16379", 16379)).isTrue();
		assertThat(StackProcesses.listensOn("redis-server 127.0.0.1:6379", 16379)).isFalse();
		assertThat(StackProcesses.listensOn("redis-server 127.0.0.1:116379", 16379)).isFalse();
	}

	@Test
	void withoutProcThereIsNothingToRead() {
		assertThatIOException()
			.isThrownBy(() -> new StackProcesses(this.proc.resolve("absent"), 1, 100, 16379).snapshot())
			.withMessageContaining("no ");
	}

	@Test
	void cpuTimeOfThisProcessGrowsWithBusyWork() throws IOException {
		assumeThat(Path.of("/proc/self/stat")).isReadable();
		StackProcesses processes = StackProcesses.local();
		long before = driverTicks(processes.snapshot());
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long until = threads.getCurrentThreadCpuTime() + 200_000_000L;
		long work = 0;
		while (threads.getCurrentThreadCpuTime() < until) {
			work += Long.toString(work).hashCode();
		}
		assertThat(work).isNotZero();
		assertThat(driverTicks(processes.snapshot())).isGreaterThan(before);
	}

	private static long driverTicks(StackProcesses.Snapshot snapshot) {
		return snapshot.ticks()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().role().equals(StackProcesses.DRIVER))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	private static String role(String... argv) {
		return StackProcesses
			.role(StackProcesses.argv((String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * A {@code /proc/<pid>/stat} line; the children's times (7 and 3) count for Redis
	 * alone.
	 */
	private static String stat(long pid, String comm, long utime, long stime, long started) {
		return pid + " (" + comm + ") S 1 1 1 0 -1 4194560 100 0 0 0 " + utime + " " + stime + " 7 3 20 0 42 0 "
				+ started + " 1000000 500 18446744073709551615 1 1 0 0 0 0 0 4096 17664 0 0 0 17 1 0 0 0 0 0\n";
	}

	private void process(long pid, long utime, long stime, long started, String... argv) throws IOException {
		Path directory = Files.createDirectories(this.proc.resolve(Long.toString(pid)));
		Files.write(directory.resolve("cmdline"), (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
		Files.writeString(directory.resolve("stat"), stat(pid, argv[0], utime, stime, started));
	}

}
