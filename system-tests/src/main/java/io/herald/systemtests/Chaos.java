package io.herald.systemtests;

import io.herald.events.Topics;
import io.herald.infra.KafkaBrokerProcess;
import io.herald.infra.KafkaClusterProcess;
import io.herald.infra.RedisServer;
import io.herald.loaddriver.Accounting;
import io.herald.loaddriver.Arguments;
import io.herald.loaddriver.Bench;
import io.herald.loaddriver.Report;
import io.herald.localstack.LocalStack;
import io.herald.localstack.ProviderSandboxes;
import io.herald.localstack.ServiceProcess;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The chaos suite: runs load through the public API against a running local stack and
 * breaks a part of the platform in the middle of it, then counts what arrived. Each run
 * drives two loads at once with the load driver's scenarios: {@code targeted} (in-app
 * notifications to connected WebSocket users, who reconnect and {@code resume} when their
 * connection drops) and {@code delivery} (critical notifications by email, SMS, iOS and
 * Android push to the provider sandboxes), and ends with the same accounting: nothing
 * accepted lost, nothing shown twice, nothing out of order.
 *
 * <p>
 * The faults:
 * <ul>
 * <li>{@link Fault#ROUTING}, {@link Fault#DELIVERY}, {@link Fault#GATEWAY}: the service
 * is killed with SIGKILL, mid-batch, and started again.</li>
 * <li>{@link Fault#KAFKA}: the broker's JVM (a child process of its own, see
 * {@link LocalStack#runKafkaInChildProcess()}) is killed with SIGKILL, stays dead for
 * {@link Settings#away()} and starts again on the same ports and log directory; while it
 * is away ingestion answers {@code 503}, which the accounting does not count as
 * accepted.</li>
 * <li>{@link Fault#KAFKA_BROKER}, {@link Fault#KAFKA_CONTROLLER},
 * {@link Fault#KAFKA_LEADER}, on a stack with a Kafka cluster of three nodes (three
 * copies of every partition, two in sync): one node is killed with SIGKILL, stays dead
 * for {@link Settings#away()} and starts again. The node is one that is neither the
 * active controller nor the leader of the most event-log partitions, the active
 * controller, or that leader. With two nodes of three left, ingestion goes on answering
 * {@code 202}, each meaning two copies.</li>
 * <li>{@link Fault#REDIS_FAILOVER}, on the same stack, whose Redis is a primary with a
 * replica behind one endpoint and whose services wait for the replica (docs/adr/021): the
 * replica falls behind (paused, its link dropped) for {@link Settings#away()} while the
 * load goes on, then the primary is killed with SIGKILL, the replica is promoted with
 * what it had, the endpoint moves to it and closes every connection, and the old primary
 * rejoins as the new one's replica.</li>
 * <li>{@link Fault#REDIS}: {@code redis-server} is killed with SIGKILL (nothing flushed;
 * its append-only file is {@code fsync}ed once a second, and the page cache keeps what it
 * wrote), stays dead for {@link Settings#away()} and starts again on the same port and
 * data directory.</li>
 * <li>{@link Fault#PROVIDERS}: every provider sandbox answers with temporary errors for a
 * while; retries must deliver everything once the providers are back.</li>
 * </ul>
 *
 * <p>
 * Each kill is checked: the pid is gone before anything restarts, and the restarted part
 * has a new pid; a kill that did not happen fails the run instead of passing it. Each
 * fault reports what was killed, when, how long until every service answered ready again,
 * and how long until the provider sandboxes received the first notification after the
 * part was started again ({@link Disruption}).
 */
final class Chaos {

	private static final Logger log = LoggerFactory.getLogger(Chaos.class);

	/** How long the providers fail in {@link Fault#PROVIDERS}. */
	static final Duration PROVIDER_OUTAGE = Duration.ofSeconds(10);

	/** How long {@link #run()} drives load before the first fault. */
	static final Duration WARM_UP = Duration.ofSeconds(20);

	/** How many lines of each service's log a failed run shows. */
	static final int EXCERPT_LINES = 30;

	/** The most users the delivery load sends to. */
	static final int MAX_DELIVERY_USERS = 50;

	/**
	 * The most SMS a kill of the delivery service may send twice (docs/adr/006): the
	 * texts waiting for Twilio's answer, at most its {@code max-in-flight} (256 by
	 * default), and one per user being delivered to.
	 */
	static final int TEXT_REPEATS_AT_A_CRASH = 256 + MAX_DELIVERY_USERS;

	/** How long a killed service may take to be ready again. */
	static final Duration RESTART_TIMEOUT = Duration.ofSeconds(120);

	/** A part of the platform to break. */
	enum Fault {

		ROUTING, DELIVERY, GATEWAY, KAFKA, REDIS, PROVIDERS, KAFKA_BROKER, KAFKA_CONTROLLER, KAFKA_LEADER,
		REDIS_FAILOVER;

		/** How many Kafka nodes the replicated stack runs. */
		static final int CLUSTER_NODES = 3;

		String id() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

		/**
		 * Tells whether the fault needs the replicated stack: a Kafka cluster of
		 * {@link #CLUSTER_NODES} nodes and a Redis primary with a replica.
		 */
		boolean needsReplication() {
			return this == KAFKA_BROKER || this == KAFKA_CONTROLLER || this == KAFKA_LEADER || this == REDIS_FAILOVER;
		}

		static Fault of(String id) {
			return Arrays.stream(values())
				.filter((fault) -> fault.id().equals(id))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("unknown fault '" + id + "'; faults: "
						+ String.join(", ", Arrays.stream(values()).map(Fault::id).toList())));
		}

	}

	/**
	 * How hard to push.
	 *
	 * @param faults the faults to run, one after the other
	 * @param duration how long each load runs (measured); the fault comes halfway
	 * @param rate in-app events per second, each to one connected user
	 * @param users connected WebSocket users
	 * @param deliveryRate critical events per second to email, SMS and push
	 * @param drain how long to wait for what is still on its way after the last POST
	 * @param away how long Kafka and Redis stay dead after their kill before they are
	 * started again
	 */
	record Settings(List<Fault> faults, Duration duration, int rate, int users, int deliveryRate, Duration drain,
			Duration away) {

		/** The arguments that ask for {@link #USAGE} alone. */
		static final Set<String> HELP = Set.of("--help", "-h", "help");

		static final String USAGE = """
				usage: platform chaos [--faults f1,f2,...] [--duration D] [--rate N] [--users N]
				                      [--delivery-rate N] [--drain D] [--away D]
				faults: routing, delivery, gateway, kafka, redis, providers, and on a stack
				        with a Kafka cluster of three nodes and a Redis replica kafka-broker,
				        kafka-controller, kafka-leader, redis-failover [all of them]
				  --duration D        load per fault, the fault comes halfway [60s]
				  --rate N            in-app events/s to connected users [200]
				  --users N           connected WebSocket users [500]
				  --delivery-rate N   critical events/s by email, SMS and push [20]
				  --drain D           wait for what is on its way after the last POST [120s]
				  --away D            how long Kafka (a broker or a node) and Redis stay dead
				                      after the kill, and a Redis replica behind [3s]
				""";

		/** These settings with other faults. */
		Settings withFaults(List<Fault> faults) {
			return new Settings(faults, this.duration, this.rate, this.users, this.deliveryRate, this.drain, this.away);
		}

		static Settings parse(String... args) {
			List<Fault> faults = List.of(Fault.values());
			Duration duration = Duration.ofSeconds(60);
			int rate = 200;
			int users = 500;
			int deliveryRate = 20;
			Duration drain = Duration.ofSeconds(120);
			Duration away = Duration.ofSeconds(3);
			for (int i = 0; i < args.length; i += 2) {
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'");
				}
				String value = args[i + 1];
				switch (args[i]) {
					case "--faults" ->
						faults = Arrays.stream(value.split(",")).map(String::trim).map(Fault::of).toList();
					case "--duration" -> duration = duration(value);
					case "--rate" -> rate = positive(value, "rate");
					case "--users" -> users = positive(value, "users");
					case "--delivery-rate" -> deliveryRate = positive(value, "delivery-rate");
					case "--drain" -> drain = duration(value);
					case "--away" -> away = duration(value);
					default -> throw new IllegalArgumentException("unknown option " + args[i]);
				}
			}
			return new Settings(faults, duration, rate, users, deliveryRate, drain, away);
		}

		private static Duration duration(String value) {
			return Arguments.duration(value);
		}

		private static int positive(String value, String name) {
			return Arguments.positive(value, name);
		}

	}

	/**
	 * What a fault did to the platform.
	 *
	 * @param what the part that was broken, such as {@code routing-service} or
	 * {@code redis-server}
	 * @param killedPid the pid killed with {@link #SIGNAL}, {@code -1} when nothing was
	 * killed
	 * @param restartedPid the pid of the part started again, {@code -1} when nothing was
	 * restarted
	 * @param at when the fault came
	 * @param back from the fault until the part was started again (its process running)
	 * @param ready from the fault until the part was back and every service answered
	 * ready again
	 * @param firstDelivery from the fault until a provider sandbox received the first
	 * notification after {@code back}, or {@code null} if none came
	 */
	record Disruption(String what, long killedPid, long restartedPid, Instant at, Duration back, Duration ready,
			@Nullable Duration firstDelivery) {

		/** How every part is killed: at once, with nothing flushed, as a crash does. */
		static final String SIGNAL = "SIGKILL";

		/** A fault that did not happen, for a load that failed before it. */
		static Disruption none(Fault fault) {
			return new Disruption(fault.id() + " (not broken)", -1, -1, Instant.EPOCH, Duration.ZERO, Duration.ZERO,
					null);
		}

		boolean killed() {
			return this.killedPid > 0;
		}

		Disruption withFirstDelivery(@Nullable Instant receivedAt) {
			Duration first = (receivedAt != null) ? Duration.between(this.at, receivedAt) : null;
			return new Disruption(this.what, this.killedPid, this.restartedPid, this.at, this.back, this.ready, first);
		}

		String line() {
			String broken = killed() ? "killed " + this.what + " (pid " + this.killedPid + ") with " + SIGNAL + " at "
					+ this.at + ", restarted as pid " + this.restartedPid : "broke " + this.what + " at " + this.at;
			String first = (this.firstDelivery != null) ? seconds(this.firstDelivery) + " s" : "none";
			return broken + "; ready again after " + seconds(this.ready) + " s; first delivery after " + first;
		}

		private static String seconds(Duration duration) {
			return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
		}

	}

	/**
	 * What one fault did.
	 *
	 * @param fault the fault
	 * @param inApp the accounting of the in-app load
	 * @param delivery the accounting of the email, SMS and push load
	 * @param disruption what was broken, when, and how long until the platform was back
	 * @param reports the load driver's tables of both loads
	 * @param textsRepeated SMS the phones received a second time, counted in
	 * {@code delivery}'s duplicates
	 * @param textsInDoubt SMS the restarted delivery service found claimed without an
	 * outcome, which it sends again ({@code herald_delivery_ledger_total} with
	 * {@code answer="ambiguous"}); 0 unless the delivery service was killed
	 */
	record Outcome(Fault fault, Accounting inApp, Accounting delivery, Disruption disruption, String reports,
			long textsRepeated, long textsInDoubt) {

		/** An outcome with no SMS received twice. */
		Outcome(Fault fault, Accounting inApp, Accounting delivery, Disruption disruption, String reports) {
			this(fault, inApp, delivery, disruption, reports, 0, 0);
		}

		/**
		 * Provider notifications received a second time beyond the one repeat
		 * docs/adr/006 allows: a kill of the delivery service may send again the texts
		 * Twilio had taken when the process died, before the ledger heard (SMS has no id
		 * a phone could collapse repeats by). Each such text is one the restarted service
		 * found in doubt, and they are at most {@link #TEXT_REPEATS_AT_A_CRASH}. Nothing
		 * else may arrive twice.
		 */
		long deliveryDuplicated() {
			long allowed = (this.fault == Fault.DELIVERY)
					? Math.min(this.textsRepeated, Math.min(this.textsInDoubt, TEXT_REPEATS_AT_A_CRASH)) : 0;
			return this.delivery.duplicated() - allowed;
		}

		/** From the fault until every service answered ready again. */
		Duration recovery() {
			return this.disruption.ready();
		}

		/**
		 * The fault happened (a kill killed a process), and both loads arrived whole,
		 * once, in order.
		 */
		boolean clean() {
			return happened() && this.inApp.clean() && this.delivery.lost() == 0 && deliveryDuplicated() == 0
					&& this.delivery.outOfOrder() == 0 && this.delivery.unexpected() == 0 && this.inApp.delivered() > 0
					&& this.delivery.delivered() > 0;
		}

		/**
		 * Tells whether the fault happened: a process was killed, or the providers
		 * failed.
		 */
		boolean happened() {
			return this.disruption.killed()
					|| (this.fault == Fault.PROVIDERS && this.disruption.at().isAfter(Instant.EPOCH));
		}

		String line() {
			Duration first = this.disruption.firstDelivery();
			return String.format(Locale.ROOT, "%-16s %7.1f %7s  %8d %9d %5d %4d %4d  %8d %9d %5d %4d  %s",
					this.fault.id(), recovery().toMillis() / 1000.0,
					(first != null) ? String.format(Locale.ROOT, "%.1f", first.toMillis() / 1000.0) : "-",
					this.inApp.accepted(), this.inApp.delivered(), this.inApp.lost(), this.inApp.duplicated(),
					this.inApp.outOfOrder() + this.inApp.unexpected(), this.delivery.accepted(),
					this.delivery.delivered(), this.delivery.lost(), this.delivery.duplicated(),
					clean() ? "ok" : "FAILED")
					+ ((this.textsRepeated > 0)
							? " (" + this.textsRepeated + " SMS repeated, " + this.textsInDoubt + " in doubt)" : "");
		}

	}

	static final String HEADER = """
			fault            back in 1st dlv   in-app: accepted delivered  lost  dup  ooo  provider: accepted delivered  lost  dup
			""";

	private final LocalStack stack;

	private final Settings settings;

	Chaos(LocalStack stack, Settings settings) {
		this.stack = stack;
		this.settings = settings;
	}

	/**
	 * Runs every fault of the settings, one after the other, and returns what each did.
	 */
	List<Outcome> run() throws InterruptedException {
		warmUp();
		List<Outcome> outcomes = new ArrayList<>();
		for (Fault fault : this.settings.faults()) {
			outcomes.add(run(fault));
		}
		return outcomes;
	}

	/** Drives both loads, breaks the part halfway through the in-app load, and counts. */
	Outcome run(Fault fault) throws InterruptedException {
		String run = fault.id().substring(0, 3) + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
		// Each fault starts from a whole platform, whatever the one before left behind.
		this.stack.awaitReady(RESTART_TIMEOUT);
		log.info("Chaos: {} under load (run {})", fault.id(), run);
		Disruption[] disruption = { Disruption.none(fault) };
		Loads loads = loads(run, this.settings.duration(), () -> disruption[0] = inject(fault));
		String reports = loads.inApp().table() + loads.delivery().table();
		Disruption disrupted = disruption[0];
		if (disrupted.killed() || fault == Fault.PROVIDERS) {
			disrupted = disrupted
				.withFirstDelivery(sandboxes().firstReceiptAfter(disrupted.at().plus(disrupted.back())));
		}
		Outcome outcome = new Outcome(fault, accounting(loads.inApp()), accounting(loads.delivery()), disrupted,
				reports, loads.delivery().duplicatedOn("sms"), (fault == Fault.DELIVERY) ? textsInDoubt() : 0);
		if (!outcome.clean()) {
			outcome = new Outcome(fault, outcome.inApp(), outcome.delivery(), outcome.disruption(),
					reports + logExcerpts(this.stack.settings().logDirectory()), outcome.textsRepeated(),
					outcome.textsInDoubt());
		}
		log.info("Chaos: {}\n{}\n{}{}", disrupted.line(), outcome.line(), HEADER, reports);
		return outcome;
	}

	/**
	 * The SMS the running delivery service found claimed without an outcome since it
	 * started; 0 when it cannot be asked, which allows no repeated text.
	 */
	private long textsInDoubt() {
		ServiceProcess delivery = this.stack.process("delivery");
		if (delivery == null) {
			return 0;
		}
		try {
			return (long) ServiceMetrics.sum(ServiceMetrics.scrape(delivery.service()), "herald_delivery_ledger_total",
					Map.of("channel", "sms", "answer", "ambiguous"));
		}
		catch (IOException ex) {
			log.warn("Chaos: could not read the delivery service's ledger answers: {}", ex.getMessage());
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	/**
	 * Runs both loads for {@link #WARM_UP} with nothing broken, and counts nothing: a
	 * fresh stack's first minute on a small machine goes to compiling its JVMs' hot code,
	 * and the first fault should not meet that as well.
	 */
	void warmUp() {
		this.stack.awaitReady(RESTART_TIMEOUT);
		log.info("Chaos: warming up for {} s, not counted", WARM_UP.toSeconds());
		Loads loads = loads("warm" + Long.toString(System.currentTimeMillis() % 1_000_000L, 36), WARM_UP, () -> {
		});
		log.info("Chaos: warm-up done\n{}{}", loads.inApp().table(), loads.delivery().table());
	}

	/**
	 * Both loads at once, with {@code disruption} halfway through the in-app one, once
	 * the delivery load is halfway too: each load first creates its users through the
	 * services, and a fault that came while the delivery load still did would break its
	 * set-up, not the platform under load. A delivery load that ends early holds nothing
	 * up.
	 */
	private Loads loads(String run, Duration duration, Runnable disruption) {
		CompletableFuture<@Nullable Void> deliveryHalfway = new CompletableFuture<>();
		CompletableFuture<Report> delivery = CompletableFuture
			.supplyAsync(() -> bench(() -> deliveryHalfway.complete(null), deliveryArguments(run + "d", duration)));
		delivery.whenComplete((report, failure) -> deliveryHalfway.complete(null));
		Report inApp = bench(() -> {
			deliveryHalfway.join();
			disruption.run();
		}, inAppArguments(run, duration));
		return new Loads(inApp, delivery.join());
	}

	private record Loads(Report inApp, Report delivery) {
	}

	/**
	 * Breaks the part, brings it back, and returns once every service answers ready
	 * again.
	 * @throws IllegalStateException if a killed process is still alive
	 */
	Disruption inject(Fault fault) {
		Instant at = Instant.now();
		long start = System.nanoTime();
		log.info("Chaos: breaking {}", fault.id());
		String what = fault.id();
		long killed = -1;
		long restarted = -1;
		switch (fault) {
			case ROUTING, DELIVERY, GATEWAY -> {
				ServiceProcess crashed = Objects.requireNonNull(this.stack.process(fault.id()),
						() -> "the stack runs no " + fault.id() + " service");
				what = crashed.service().module();
				killed = crashed.pid();
				ServiceProcess started = this.stack.crashAndRestart(fault.id());
				requireGone(what, killed);
				restarted = started.pid();
			}
			case KAFKA -> {
				KafkaBrokerProcess kafka = Objects.requireNonNull(this.stack.kafkaProcess(),
						"the stack runs no Kafka broker in a process of its own");
				what = "kafka-broker";
				killed = kafka.kill();
				requireGone(what, killed);
				LockSupport.parkNanos(this.settings.away().toNanos());
				kafka.start();
				restarted = kafka.pid();
			}
			case KAFKA_BROKER, KAFKA_CONTROLLER, KAFKA_LEADER -> {
				KafkaClusterProcess cluster = Objects.requireNonNull(this.stack.kafkaCluster(),
						"the stack runs no Kafka cluster");
				int controller = cluster.activeController();
				int leader = cluster.mostLeadingNode(Topics.EVENTS.name());
				int node = switch (fault) {
					case KAFKA_CONTROLLER -> controller;
					case KAFKA_LEADER -> leader;
					default -> cluster.nodes()
						.stream()
						.mapToInt(KafkaBrokerProcess::nodeId)
						.filter((id) -> id != controller && id != leader)
						.findFirst()
						.orElse(cluster.nodes().get(cluster.nodes().size() - 1).nodeId());
				};
				KafkaBrokerProcess broker = cluster.node(node);
				what = "kafka node " + node + " of " + cluster.nodes().size() + " (" + role(node, controller, leader)
						+ ")";
				killed = broker.kill();
				requireGone(what, killed);
				LockSupport.parkNanos(this.settings.away().toNanos());
				broker.start();
				restarted = broker.pid();
			}
			case REDIS_FAILOVER -> {
				RedisServer primary = Objects.requireNonNull(this.stack.redis(), "the stack runs no Redis");
				RedisServer replica = Objects.requireNonNull(this.stack.redisReplica(),
						"the stack runs no Redis replica");
				what = "redis primary (its replica behind by " + this.settings.away().toSeconds()
						+ " s, then promoted)";
				replica.fallBehind(primary);
				LockSupport.parkNanos(this.settings.away().toNanos());
				killed = this.stack.failOverRedis();
				requireGone(what, killed);
				restarted = replica.pid();
			}
			case REDIS -> {
				RedisServer redis = Objects.requireNonNull(this.stack.redis(), "the stack runs no Redis");
				what = "redis-server";
				killed = redis.kill();
				requireGone(what, killed);
				LockSupport.parkNanos(this.settings.away().toNanos());
				redis.start();
				restarted = redis.pid();
			}
			case PROVIDERS -> {
				ProviderSandboxes sandboxes = sandboxes();
				what = "every provider sandbox (temporary errors for " + PROVIDER_OUTAGE.toSeconds() + " s)";
				sandboxes.failTemporarily();
				LockSupport.parkNanos(PROVIDER_OUTAGE.toNanos());
				sandboxes.clearFailures();
			}
		}
		Duration back = Duration.ofNanos(System.nanoTime() - start);
		this.stack.awaitReady(RESTART_TIMEOUT);
		Disruption disruption = new Disruption(what, killed, restarted, at, back,
				Duration.ofNanos(System.nanoTime() - start), null);
		log.info("Chaos: {}", disruption.line());
		return disruption;
	}

	private static String role(int node, int controller, int leader) {
		if (node == controller && node == leader) {
			return "the active controller, leading the most " + Topics.EVENTS.name() + " partitions";
		}
		if (node == controller) {
			return "the active controller";
		}
		return (node == leader) ? "leading the most " + Topics.EVENTS.name() + " partitions"
				: "neither controller nor that topic's main leader";
	}

	/**
	 * Fails unless the killed process is gone: a fault that did not happen proves
	 * nothing.
	 */
	private static void requireGone(String what, long pid) {
		if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
			throw new IllegalStateException(what + " (pid " + pid + ") is still alive after " + Disruption.SIGNAL);
		}
	}

	private ProviderSandboxes sandboxes() {
		return Objects.requireNonNull(this.stack.sandboxes(), "the stack runs no delivery service");
	}

	private String[] inAppArguments(String run, Duration duration) {
		return common("targeted", run, duration, this.settings.rate(), this.settings.users(), "--warmup", "2s",
				"--gateway-url", this.stack.serviceUrl("gateway"), "--tenant", this.stack.settings().demoTenant(),
				"--jwt-secret", this.stack.settings().demoJwtSecret());
	}

	private String[] deliveryArguments(String run, Duration duration) {
		return common("delivery", run, duration, this.settings.deliveryRate(),
				Math.min(MAX_DELIVERY_USERS, this.settings.users()), "--sandbox-url", sandboxes().url());
	}

	private String[] common(String scenario, String run, Duration duration, int rate, int users, String... more) {
		List<String> args = new ArrayList<>(List.of(scenario, "--url", this.stack.serviceUrl("ingestion"),
				"--routing-url", this.stack.serviceUrl("routing"), "--api-key", this.stack.settings().demoApiKey(),
				"--rate", Integer.toString(rate), "--users", Integer.toString(users), "--duration",
				duration.toSeconds() + "s", "--drain", this.settings.drain().toSeconds() + "s", "--connections", "16",
				"--run", run));
		args.addAll(List.of(more));
		return args.toArray(String[]::new);
	}

	/**
	 * What the services' logs say about a run that went wrong: of each log, the last
	 * {@value #EXCERPT_LINES} lines that are errors, their causes, Herald's own warnings
	 * (a dead letter, for one) or Kafka Streams' state changes.
	 */
	static String logExcerpts(Path logs) {
		StringBuilder excerpts = new StringBuilder();
		try (Stream<Path> files = Files.list(logs)) {
			for (Path log : files.filter((file) -> file.toString().endsWith(".log")).sorted().toList()) {
				List<String> lines;
				try (Stream<String> all = Files.lines(log, StandardCharsets.UTF_8)) {
					lines = all.filter(Chaos::telling).toList();
				}
				catch (UncheckedIOException ex) {
					lines = List.of("(unreadable: " + ex.getCause().getMessage() + ")");
				}
				List<String> last = lines.subList(Math.max(0, lines.size() - EXCERPT_LINES), lines.size());
				excerpts.append("--- ")
					.append(log.getFileName())
					.append(": last ")
					.append(last.size())
					.append(" of ")
					.append(lines.size())
					.append(" errors, warnings and state changes\n");
				last.forEach((line) -> excerpts.append(line).append('\n'));
			}
		}
		catch (IOException ex) {
			excerpts.append("(no logs in ").append(logs).append(": ").append(ex.getMessage()).append(")\n");
		}
		return excerpts.toString();
	}

	private static boolean telling(String line) {
		return line.contains(" ERROR ") || line.startsWith("Caused by:") || line.contains("State transition from")
				|| (line.contains(" WARN ") && (line.contains(" io.herald.") || line.contains(" i.h.")));
	}

	private static Report bench(Runnable disruption, String... args) {
		try {
			return Bench.run(disruption, args);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CompletionException(ex);
		}
	}

	private static Accounting accounting(Report report) {
		@Nullable Accounting accounting = report.accounting();
		if (accounting == null) {
			throw new IllegalStateException("The load did not run: " + report.table());
		}
		return accounting;
	}

}
