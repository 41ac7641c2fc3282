package io.herald.loaddriver;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processes of a local stack on this machine and the CPU time they used, read from
 * {@code /proc} (Linux): each process's {@code cmdline} says what it is, its {@code stat}
 * how many clock ticks it ran (user and system, every thread; for Redis, its ended forks'
 * too), and {@code /proc/stat} how busy the whole machine was. Every matching process
 * counts, so other stacks running on the same machine show up as extra instances; a
 * {@code redis-server} counts only if it listens on the stack's Redis port, since many
 * machines run a Redis of their own.
 */
final class StackProcesses {

	/**
	 * The JVM that holds the Kafka broker (and the provider sandboxes) of
	 * {@code ./platform up}.
	 */
	static final String LOCAL_STACK = "local-stack (broker)";

	/** The load driver's own process. */
	static final String DRIVER = "driver";

	/**
	 * The Redis port of {@code ./platform up} unless {@code HERALD_REDIS_PORT} says
	 * otherwise.
	 */
	static final int DEFAULT_REDIS_PORT = 16379;

	/** Each role by the artifact id of the jar that runs it and by its main class. */
	private static final Map<String, String> ROLES = Map.ofEntries(Map.entry("ingestion-service", "ingestion"),
			Map.entry("io.herald.ingestion.IngestionApplication", "ingestion"), Map.entry("routing-service", "routing"),
			Map.entry("io.herald.routing.RoutingApplication", "routing"), Map.entry("delivery-service", "delivery"),
			Map.entry("io.herald.delivery.DeliveryApplication", "delivery"), Map.entry("websocket-gateway", "gateway"),
			Map.entry("io.herald.gateway.GatewayApplication", "gateway"),
			Map.entry("io.herald.infra.KafkaBrokerMain", "kafka-broker"), Map.entry("local-stack", LOCAL_STACK),
			Map.entry("io.herald.localstack.LocalStackCommand", LOCAL_STACK));

	/**
	 * The roles in the order reports list them, from the edge inwards; the driver last.
	 */
	static final List<String> ORDER = List.of("ingestion", "routing", "delivery", "gateway", "kafka-broker",
			LOCAL_STACK, "redis", DRIVER);

	/**
	 * {@code <artifact>-<version>.jar}, or {@code <artifact>-<version>-exec.jar} for the
	 * executable jar of a module that is also a library (local-stack).
	 */
	private static final Pattern JAR = Pattern.compile("(.+?)-\\d[^/]*\\.jar");

	/** {@code java} options followed by a value, which is not the main class. */
	private static final List<String> OPTIONS_WITH_VALUE = List.of("-cp", "-classpath", "--class-path", "-p",
			"--module-path", "--add-modules", "--add-opens", "--add-exports", "--add-reads", "--enable-native-access");

	/**
	 * Linux's clock tick on every common architecture, when {@code getconf CLK_TCK}
	 * cannot tell.
	 */
	private static final long DEFAULT_TICKS_PER_SECOND = 100;

	private final Path proc;

	private final long self;

	private final long ticksPerSecond;

	private final int redisPort;

	/**
	 * @param proc the {@code /proc} to read
	 * @param self the process id that is the {@link #DRIVER}, whatever its command line
	 * @param ticksPerSecond the unit of the CPU times in {@code stat} files
	 */
	StackProcesses(Path proc, long self, long ticksPerSecond, int redisPort) {
		this.proc = proc;
		this.self = self;
		this.ticksPerSecond = ticksPerSecond;
		this.redisPort = redisPort;
	}

	/**
	 * This machine's processes, this process as the driver, Redis on
	 * {@code HERALD_REDIS_PORT} (the variable {@code ./platform up} reads) or its
	 * default.
	 */
	static StackProcesses local() {
		String port = System.getenv("HERALD_REDIS_PORT");
		return new StackProcesses(Path.of("/proc"), ProcessHandle.current().pid(), ClockTicks.PER_SECOND,
				(port != null && port.matches("\\d{1,5}")) ? Integer.parseInt(port) : DEFAULT_REDIS_PORT);
	}

	/**
	 * Whether a {@code redis-server}'s title, {@code redis-server 127.0.0.1:16379} or
	 * {@code redis-server *:16379}, names this port.
	 */
	static boolean listensOn(String title, int port) {
		return title.strip().endsWith(":" + port);
	}

	long ticksPerSecond() {
		return this.ticksPerSecond;
	}

	/**
	 * One process of the stack.
	 *
	 * @param role what it is, one of {@link #ORDER}
	 * @param pid its process id
	 * @param started when it started, in ticks since boot: with the pid, it tells a
	 * restarted process from the one before it
	 */
	record Instance(String role, long pid, long started) {
	}

	/**
	 * CPU times at one moment.
	 *
	 * @param nanoTime when it was read ({@link System#nanoTime()})
	 * @param ticks CPU ticks each process used since it started
	 * @param machine the machine's ticks since boot
	 */
	record Snapshot(long nanoTime, Map<Instance, Long> ticks, Machine machine) {
	}

	/**
	 * The machine's CPU ticks since boot, over every core.
	 *
	 * @param busy ticks spent running something (user, nice, system, interrupts, steal)
	 * @param total busy ticks plus idle and I/O wait
	 * @param cores the cores {@code /proc/stat} lists
	 */
	record Machine(long busy, long total, int cores) {
	}

	/**
	 * Reads every stack process's CPU time and the machine's. A process that exits while
	 * it is read is left out.
	 * @throws IOException if there is no {@code /proc}, as on macOS
	 */
	Snapshot snapshot() throws IOException {
		Path procStat = this.proc.resolve("stat");
		if (!Files.isReadable(procStat)) {
			throw new IOException("no " + procStat + " on this system");
		}
		Machine machine = machine(Files.readString(procStat));
		long at = System.nanoTime();
		Map<Instance, Long> ticks = new HashMap<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.proc, "[0-9]*")) {
			for (Path entry : entries) {
				try {
					long pid = Long.parseLong(entry.getFileName().toString());
					List<String> argv = argv(Files.readAllBytes(entry.resolve("cmdline")));
					String role = (pid == this.self) ? DRIVER : role(argv);
					if ("redis".equals(role) && !listensOn(argv.get(0), this.redisPort)) {
						continue;
					}
					if (role != null) {
						Stat stat = stat(Files.readString(entry.resolve("stat")));
						// Redis forks to rewrite its append-only file (or to save a
						// snapshot), which takes seconds of CPU: its children's time is
						// its own, counted once the fork ended. Other processes' children
						// (the services of the local stack's launcher) are not theirs.
						long used = "redis".equals(role) ? stat.ticks() + stat.childTicks() : stat.ticks();
						ticks.put(new Instance(role, pid, stat.started()), used);
					}
				}
				catch (IOException | NumberFormatException ex) {
					// Gone, or not a process (a pid's directory vanishes when it exits).
				}
			}
		}
		return new Snapshot(at, ticks, machine);
	}

	/** A {@code cmdline}'s arguments: NUL-separated, NUL-terminated. */
	static List<String> argv(byte[] cmdline) {
		String text = new String(cmdline, StandardCharsets.UTF_8);
		return text.isEmpty() ? List.of() : Arrays.asList(text.split("\0"));
	}

	/** What part of the stack a command line runs, or {@code null} if none. */
	static @Nullable String role(List<String> argv) {
		if (argv.isEmpty()) {
			return null;
		}
		// Redis rewrites its arguments into one title, "redis-server 127.0.0.1:6379".
		String program = baseName(argv.get(0).split(" ", 2)[0]);
		if (program.equals("redis-server")) {
			return "redis";
		}
		if (!program.equals("java")) {
			return null;
		}
		for (int i = 1; i < argv.size(); i++) {
			String arg = argv.get(i);
			if (arg.startsWith("-Dloader.main=")) {
				return ROLES.get(arg.substring("-Dloader.main=".length()));
			}
			if (arg.equals("-jar") && i + 1 < argv.size()) {
				Matcher jar = JAR.matcher(baseName(argv.get(i + 1)));
				String role = jar.matches() ? ROLES.get(jar.group(1)) : null;
				// "./platform tail" runs the local-stack jar too, as a client of the
				// stack.
				boolean tail = LOCAL_STACK.equals(role) && i + 2 < argv.size() && argv.get(i + 2).equals("tail");
				return tail ? null : role;
			}
			if (OPTIONS_WITH_VALUE.contains(arg)) {
				i++;
			}
			else if (!arg.startsWith("-")) {
				return ROLES.get(arg);
			}
		}
		return null;
	}

	/**
	 * What a process's {@code stat} says about its CPU time.
	 *
	 * @param ticks user plus system time (fields 14 and 15)
	 * @param childTicks user plus system time of the children it waited for (fields 16
	 * and 17)
	 * @param started when the process started, in ticks since boot (field 22)
	 */
	record Stat(long ticks, long childTicks, long started) {
	}

	/**
	 * Parses a {@code /proc/<pid>/stat} line. Its second field, the command's name in
	 * parentheses, may hold spaces and parentheses itself, so fields are counted from the
	 * last {@code )}.
	 */
	static Stat stat(String line) {
		// After ") ": field 3, the state, then the others.
		String[] fields = line.substring(line.lastIndexOf(')') + 1).strip().split(" ");
		return new Stat(Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
				Long.parseLong(fields[13]) + Long.parseLong(fields[14]), Long.parseLong(fields[19]));
	}

	/**
	 * The machine's ticks from {@code /proc/stat}'s first line,
	 * {@code cpu user nice system idle iowait irq softirq steal ...}.
	 */
	static Machine machine(String procStat) {
		String[] lines = procStat.split("\n");
		String[] fields = lines[0].strip().split("\\s+");
		if (!fields[0].equals("cpu")) {
			throw new IllegalArgumentException("not a /proc/stat: " + lines[0]);
		}
		long[] ticks = new long[8];
		for (int i = 0; i < ticks.length && i + 1 < fields.length; i++) {
			ticks[i] = Long.parseLong(fields[i + 1]);
		}
		// Guest time is already part of user time.
		long idle = ticks[3] + ticks[4];
		long busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
		int cores = (int) Arrays.stream(lines).filter((line) -> line.matches("cpu\\d+\\s.*")).count();
		return new Machine(busy, busy + idle, cores);
	}

	private static String baseName(String path) {
		return path.substring(path.lastIndexOf('/') + 1);
	}

	/** The clock tick, asked once. */
	private static final class ClockTicks {

		static final long PER_SECOND = Files.isDirectory(Path.of("/proc")) ? ask() : DEFAULT_TICKS_PER_SECOND;

		/** {@code getconf CLK_TCK}, or Linux's usual 100 when it cannot tell. */
		private static long ask() {
			try {
				Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
				try (InputStream output = getconf.getInputStream()) {
					long ticks = Long.parseLong(new String(output.readAllBytes(), StandardCharsets.US_ASCII).strip());
					return (getconf.waitFor() == 0 && ticks > 0) ? ticks : DEFAULT_TICKS_PER_SECOND;
				}
			}
			catch (IOException | NumberFormatException ex) {
				return DEFAULT_TICKS_PER_SECOND;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return DEFAULT_TICKS_PER_SECOND;
			}
		}

	}

}
