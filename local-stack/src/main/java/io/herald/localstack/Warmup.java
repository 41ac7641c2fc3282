package io.herald.localstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.herald.loaddriver.Accounting;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.herald.loaddriver.Bench;
import io.herald.loaddriver.Report;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's own warm-up: once it has said {@code READY}, the local stack sends
 * notifications through its services for a while, as the load driver's targeted scenario
 * does (WebSocket users, events for one of them each, frames read and acknowledged), so
 * that the services' and the broker's JVMs compile their hot paths before the first
 * user's load arrives; then it publishes {@value #FANOUT_ROUNDS} topic events to
 * {@value #FANOUT_USERS} connected users, so that a broadcast's path (routing's scatter,
 * the gateway's batched appends and frames) is compiled too before the first user's
 * broadcast. A cold JVM runs the code of a request in its interpreter and spends much of
 * two cores on compiling it in the first minute: without a warm-up, a fresh stack queues
 * the first load it is sent for seconds.
 *
 * <p>
 * It runs beside the user, not before {@code READY} (docs/adr/040): the API answers as
 * soon as the services are ready, a few requests cost the warm-up nothing, and a load of
 * another tenant's events ends it ({@link OtherTraffic}), since that load compiles the
 * same path and the two together would only queue on cold JVMs.
 *
 * <p>
 * The load goes to a tenant of its own, {@value #TENANT}, with an API key and a
 * user-token secret made for the run, so it shows up in no other tenant's inboxes,
 * statuses or rate limits; it names the same {@value #USERS} users
 * ({@code bench-warmup-<i>}) and {@value #FANOUT_USERS} fan-out users
 * ({@code bench-warmupfan-<i>}, subscribed to the topic {@code bench-live-warmupfan},
 * which routing keeps; subscribing them again at the next start changes nothing) at every
 * start. With only ingestion running, single POSTs warm it up; without ingestion there is
 * nothing to warm, and without routing or the gateway no fan-out.
 *
 * <p>
 * What a warm-up leaves in Redis (about 30 MB: the events' statuses, kept for a week, and
 * the users' inboxes) is erased after it and, for whatever arrived later, at the next
 * start, beside the services' start and before its warm-up ({@link #erase}). Its records
 * on the topics stay until the topics' retention removes them (about 30 MB a start on
 * disk).
 */
final class Warmup {

	/** The tenant whose users the warm-up notifies. */
	static final String TENANT = "herald-warmup";

	/** Users connected during the warm-up. */
	static final int USERS = 200;

	/**
	 * Events per second during the warm-up: what a small production stack sees, enough to
	 * compile its path.
	 */
	static final int RATE = 300;

	/**
	 * Users connected and subscribed to the warm-up's topic for its fan-out, after the
	 * targeted load: routing's scatter of a topic event, the gateway's batched appends
	 * and its frames to many sessions at once are compiled before the first user's
	 * broadcast.
	 */
	static final int FANOUT_USERS = 2_000;

	/** Topic events the fan-out publishes, one after the other. */
	static final int FANOUT_ROUNDS = 10;

	private static final Logger log = LoggerFactory.getLogger(Warmup.class);

	private final Duration duration;

	private final String apiKey = ServiceEnvironment.randomToken();

	private final String jwtSecret = ServiceEnvironment.randomToken();

	/**
	 * @param duration how long to drive load; zero for no warm-up
	 */
	Warmup(Duration duration) {
		this.duration = duration;
	}

	/**
	 * What a service needs to accept the warm-up tenant's load, on top of the demo
	 * tenant's settings at index 0: its API key (ingestion) and its user-token secret
	 * (gateway) at index 1.
	 */
	Map<String, String> environment() {
		if (this.duration.isZero()) {
			return Map.of();
		}
		return ServiceEnvironment.tenant(1,
				new ServiceEnvironment.Tenant(TENANT, "warmup", this.apiKey, this.jwtSecret));
	}

	/**
	 * Drives the load through the running services on the calling thread, then erases
	 * what it left; ends early when {@code stackStopping} answers {@code true} or another
	 * tenant's load arrives at ingestion. A warm-up that fails is logged and leaves the
	 * stack as it is, since it only makes the first minute faster.
	 */
	void run(List<Service> services, String redisUri, BooleanSupplier stackStopping) {
		List<String> args = arguments(services);
		@Nullable Service ingestion = find(services, "ingestion");
		if (args.isEmpty() || ingestion == null) {
			return;
		}
		log.info(
				"Warming up for {} s: {} events/s to the {} tenant's users through {}; another tenant's load "
						+ "ends it sooner",
				this.duration.toSeconds(), RATE, TENANT,
				String.join(", ", services.stream().map(Service::name).toList()));
		long started = System.nanoTime();
		try (OtherTraffic others = OtherTraffic.watch(ingestion.managementUrl(), TENANT)) {
			BooleanSupplier stop = () -> stackStopping.getAsBoolean() || others.arrived();
			@Nullable Accounting accounting = Bench.runUntil(stop, args.toArray(String[]::new)).accounting();
			List<String> fanOut = fanOutArguments(services);
			if (!fanOut.isEmpty() && !stop.getAsBoolean()) {
				@Nullable Accounting fannedOut = fanOut(fanOut, stop);
				if (accounting != null && fannedOut != null) {
					accounting = accounting.plus(fannedOut);
				}
			}
			if (stackStopping.getAsBoolean()) {
				return;
			}
			long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
			String outcome = (accounting != null) ? ": " + outcome(accounting) : "";
			if (others.arrived()) {
				log.info("Ended the warm-up after {} s: another tenant's load arrived, which warms the services up "
						+ "as well{}", seconds, outcome);
			}
			else {
				log.info("Warmed up in {} s{}", seconds, outcome);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (RuntimeException ex) {
			if (stackStopping.getAsBoolean()) {
				return;
			}
			log.warn("The warm-up failed; the first minute may queue: {}", ex.toString());
		}
		eraseQuietly(redisUri);
	}

	/**
	 * Runs the fan-out after the targeted load; one that cannot run (this process may not
	 * open as many files as it has users, say, with the broker's files open beside them)
	 * or ends without measuring (users that got no {@code hello}, subscriptions that
	 * failed) is logged with the load driver's reason and skipped: the targeted load has
	 * warmed most of the path already.
	 * @return what its notifications did, or {@code null} if it did not run or measure
	 */
	static @Nullable Accounting fanOut(List<String> args, BooleanSupplier stop) throws InterruptedException {
		log.info("Warming up the fan-out: {} topic events, one after the other, to {} connected users", FANOUT_ROUNDS,
				FANOUT_USERS);
		try {
			Report report = Bench.runUntil(stop, args.toArray(String[]::new));
			if (!report.complete()) {
				log.info("Skipped the warm-up's fan-out: {}", report.table().strip());
			}
			return report.accounting();
		}
		catch (RuntimeException ex) {
			log.info("Skipped the warm-up's fan-out: {}", ex.getMessage());
			return null;
		}
	}

	/**
	 * What the warm-up's notifications did, in words that do not alarm: a notification
	 * that had not reached its user when the driver stopped waiting is still on its way
	 * (a cold stack on a busy machine queues), and is delivered after the warm-up.
	 */
	static String outcome(Accounting accounting) {
		String delivered = accounting.delivered() + " notifications delivered";
		if (accounting.lost() == 0) {
			return delivered;
		}
		return delivered + ", " + accounting.lost()
				+ " still on their way when it stopped waiting (the stack was catching up)";
	}

	/**
	 * {@link #erase}, logging instead of failing: what is left is erased at the next
	 * start.
	 */
	static void eraseQuietly(String redisUri) {
		try {
			long erased = erase(redisUri);
			if (erased > 0) {
				log.info("Erased the {} tenant's {} keys from Redis", TENANT, erased);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not erase the {} tenant's keys from Redis: {}", TENANT, ex.toString());
		}
	}

	/**
	 * Deletes every Redis key of the warm-up tenant: those hash-tagged
	 * {@code {herald-warmup:...}} (inboxes, statuses) and its API key's rate limit.
	 * Tenant names hold no {@code :}, so no other tenant's key matches. The keys of one
	 * hash tag (a user's inbox, an event's status) go in one command, after the whole
	 * scan: notifications may still arrive for the warm-up's users, and an inbox whose
	 * counter went without its history would refuse them.
	 * @return how many keys were deleted
	 */
	static long erase(String redisUri) {
		RedisClient client = RedisClient.create(redisUri);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> redis = connection.sync();
			List<String> keys = new ArrayList<>();
			for (String pattern : List.of("*{" + TENANT + ":*", "herald:ratelimit:" + TENANT + ":*")) {
				ScanArgs args = ScanArgs.Builder.matches(pattern).limit(1_000);
				KeyScanCursor<String> cursor = redis.scan(args);
				while (true) {
					keys.addAll(cursor.getKeys());
					if (cursor.isFinished()) {
						break;
					}
					cursor = redis.scan(ScanCursor.of(cursor.getCursor()), args);
				}
			}
			long erased = 0;
			for (List<String> command : unlinks(keys, 1_000)) {
				erased += redis.unlink(command.toArray(String[]::new));
			}
			return erased;
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * The keys in commands of about {@code size} keys each, never the keys of one hash
	 * tag in two commands (a key without a tag is a tag of its own).
	 */
	static List<List<String>> unlinks(List<String> keys, int size) {
		Map<String, List<String>> byTag = new LinkedHashMap<>();
		for (String key : keys) {
			int open = key.indexOf('{');
			int close = (open >= 0) ? key.indexOf('}', open + 1) : -1;
			String tag = (close > open + 1) ? key.substring(open + 1, close) : key;
			byTag.computeIfAbsent(tag, (t) -> new ArrayList<>()).add(key);
		}
		List<List<String>> commands = new ArrayList<>();
		List<String> command = new ArrayList<>();
		for (List<String> tagged : byTag.values()) {
			if (!command.isEmpty() && command.size() + tagged.size() > size) {
				commands.add(command);
				command = new ArrayList<>();
			}
			command.addAll(tagged);
		}
		if (!command.isEmpty()) {
			commands.add(command);
		}
		return commands;
	}

	/**
	 * Whether these services get a warm-up: ingestion runs and the duration is not zero.
	 */
	boolean runs(List<Service> services) {
		return !arguments(services).isEmpty();
	}

	/**
	 * The load driver's command line for the services that run, or nothing if ingestion
	 * does not.
	 */
	List<String> arguments(List<Service> services) {
		@Nullable Service ingestion = find(services, "ingestion");
		@Nullable Service gateway = find(services, "gateway");
		if (this.duration.isZero() || ingestion == null) {
			return List.of();
		}
		List<String> args = new ArrayList<>();
		boolean inApp = gateway != null && find(services, "routing") != null;
		args.add(inApp ? "targeted" : "ingest");
		args.addAll(List.of("--url", ingestion.url(), "--api-key", this.apiKey, "--rate", Integer.toString(RATE),
				"--duration", this.duration.toMillis() + "ms", "--warmup", "0s", "--users", Integer.toString(USERS)));
		if (inApp) {
			args.addAll(List.of("--gateway-url", gateway.url(), "--tenant", TENANT, "--jwt-secret", this.jwtSecret,
					"--run", "warmup"));
		}
		return args;
	}

	/**
	 * The load driver's command line for the fan-out that follows the targeted load, or
	 * nothing if ingestion, routing (which keeps the topic's subscribers) or the gateway
	 * does not run.
	 */
	List<String> fanOutArguments(List<Service> services) {
		@Nullable Service ingestion = find(services, "ingestion");
		@Nullable Service routing = find(services, "routing");
		@Nullable Service gateway = find(services, "gateway");
		if (this.duration.isZero() || ingestion == null || routing == null || gateway == null) {
			return List.of();
		}
		return List.of("fanout", "--url", ingestion.url(), "--routing-url", routing.url(), "--api-key", this.apiKey,
				"--users", Integer.toString(FANOUT_USERS), "--rounds", Integer.toString(FANOUT_ROUNDS), "--duration",
				"30s", "--gateway-url", gateway.url(), "--tenant", TENANT, "--jwt-secret", this.jwtSecret, "--run",
				"warmupfan");
	}

	private static @Nullable Service find(List<Service> services, String name) {
		return services.stream().filter((service) -> service.name().equals(name)).findFirst().orElse(null);
	}

}
