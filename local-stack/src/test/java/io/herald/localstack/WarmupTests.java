package io.herald.localstack;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.herald.loaddriver.Accounting;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmupTests {

	private static final List<Service> ALL = Service.ALL;

	@Test
	void withRoutingAndTheGatewayNotificationsGoToConnectedUsersOfTheWarmupTenant() {
		Warmup warmup = new Warmup(Duration.ofSeconds(30));

		List<String> args = warmup.arguments(ALL);

		assertThat(args).first().isEqualTo("targeted");
		assertThat(String.join(" ", args)).contains("--url http://127.0.0.1:8080",
				"--gateway-url http://127.0.0.1:8082", "--tenant " + Warmup.TENANT, "--duration 30000ms", "--warmup 0s",
				"--run warmup", "--rate " + Warmup.RATE, "--users " + Warmup.USERS);
	}

	@Test
	void afterTheTargetedLoadTopicEventsGoToConnectedUsersOfTheWarmupTenant() {
		Warmup warmup = new Warmup(Duration.ofSeconds(30));

		Map<String, String> fanOut = options(warmup.fanOutArguments(ALL), "fanout");

		assertThat(fanOut).containsEntry("--routing-url", "http://127.0.0.1:8081")
			.containsEntry("--gateway-url", "http://127.0.0.1:8082")
			.containsEntry("--tenant", Warmup.TENANT)
			.containsEntry("--run", "warmupfan")
			.containsEntry("--users", Integer.toString(Warmup.FANOUT_USERS))
			.containsEntry("--rounds", Integer.toString(Warmup.FANOUT_ROUNDS));
		Map<String, String> targeted = options(warmup.arguments(ALL), "targeted");
		assertThat(fanOut.get("--api-key")).isEqualTo(targeted.get("--api-key"));
		assertThat(fanOut.get("--jwt-secret")).isEqualTo(targeted.get("--jwt-secret"));
	}

	/** The options after the scenario, which must be {@code scenario}, by name. */
	private static Map<String, String> options(List<String> args, String scenario) {
		assertThat(args).first().isEqualTo(scenario);
		Map<String, String> options = new java.util.HashMap<>();
		for (int i = 1; i + 1 < args.size(); i += 2) {
			options.put(args.get(i), args.get(i + 1));
		}
		return options;
	}

	@Test
	void aFanOutThatCannotRunIsSkippedAndTheWarmupGoesOn() throws InterruptedException {
		// More users than this process may open files for: refused before any connection.
		List<String> args = List.of("fanout", "--users", Integer.toString(Integer.MAX_VALUE / 2), "--gateway-url",
				"http://127.0.0.1:9", "--url", "http://127.0.0.1:9", "--routing-url", "http://127.0.0.1:9");

		assertThat(Warmup.fanOut(args, () -> false)).isNull();
	}

	@Test
	void withoutRoutingOrTheGatewayOrWithAZeroDurationThereIsNoFanOut() {
		assertThat(new Warmup(Duration.ofSeconds(30)).fanOutArguments(services("ingestion", "gateway", "delivery")))
			.isEmpty();
		assertThat(new Warmup(Duration.ofSeconds(30)).fanOutArguments(services("ingestion", "routing", "delivery")))
			.isEmpty();
		assertThat(new Warmup(Duration.ZERO).fanOutArguments(ALL)).isEmpty();
	}

	@Test
	void ingestionAloneIsWarmedUpWithSinglePosts() {
		List<String> args = new Warmup(Duration.ofSeconds(10)).arguments(services("ingestion"));

		assertThat(args).first().isEqualTo("ingest");
		assertThat(args).doesNotContain("--gateway-url", "--tenant");
	}

	@Test
	void withoutIngestionOrWithAZeroDurationThereIsNoWarmup() {
		assertThat(new Warmup(Duration.ofSeconds(10)).arguments(services("routing", "gateway", "delivery"))).isEmpty();
		assertThat(new Warmup(Duration.ZERO).arguments(ALL)).isEmpty();
		assertThat(new Warmup(Duration.ZERO).environment()).isEmpty();
	}

	@Test
	void theServicesAcceptTheWarmupTenantsKeyAndTokensNextToTheDemoTenants() {
		Warmup warmup = new Warmup(Duration.ofSeconds(30));

		Map<String, String> env = warmup.environment();

		assertThat(env).containsEntry("HERALD_APIKEYS_1_TENANT", Warmup.TENANT)
			.containsEntry("HERALD_GATEWAY_JWT_TENANTS_1_TENANT", Warmup.TENANT)
			.containsKeys("HERALD_APIKEYS_1_SHA256", "HERALD_GATEWAY_JWT_TENANTS_1_SECRET");
		List<String> args = warmup.arguments(ALL);
		String apiKey = args.get(args.indexOf("--api-key") + 1);
		assertThat(env.get("HERALD_APIKEYS_1_SHA256")).isEqualTo(ServiceEnvironment.sha256Hex(apiKey));
		assertThat(args.get(args.indexOf("--jwt-secret") + 1)).isEqualTo(env.get("HERALD_GATEWAY_JWT_TENANTS_1_SECRET"))
			.isNotEqualTo(new Warmup(Duration.ofSeconds(30)).environment().get("HERALD_GATEWAY_JWT_TENANTS_1_SECRET"));
	}

	private static List<Service> services(String... names) {
		return ALL.stream().filter((service) -> List.of(names).contains(service.name())).toList();
	}

	@Test
	void erasingNeverSplitsTheKeysOfOneHashTagAcrossTwoCommands() {
		List<String> keys = new java.util.ArrayList<>();
		for (int user = 0; user < 10; user++) {
			for (String key : List.of("stream", "seq", "ids", "cursors")) {
				keys.add("herald:inbox:{herald-warmup:bench-warmup-" + user + "}:" + key);
			}
		}
		keys.add("herald:ratelimit:herald-warmup:warmup");
		// Scanned in any order: a user's counter may come long after the user's history.
		java.util.Collections.shuffle(keys, new java.util.Random(7));

		List<List<String>> commands = Warmup.unlinks(keys, 6);

		assertThat(commands).flatMap((command) -> command).containsExactlyInAnyOrderElementsOf(keys);
		assertThat(commands).allSatisfy((command) -> assertThat(command).hasSizeLessThanOrEqualTo(8));
		for (int user = 0; user < 10; user++) {
			String tag = "{herald-warmup:bench-warmup-" + user + "}";
			assertThat(commands).filteredOn((command) -> command.stream().anyMatch((key) -> key.contains(tag)))
				.singleElement()
				.satisfies((command) -> assertThat(command).filteredOn((key) -> key.contains(tag)).hasSize(4));
		}
	}

	@Test
	void notificationsThatHadNotArrivedWhenTheWarmupStoppedAreSaidToBeOnTheirWay() {
		assertThat(Warmup.outcome(new Accounting(9000, 9000, 0, 0, 0, 0))).isEqualTo("9000 notifications delivered");
		assertThat(Warmup.outcome(new Accounting(9000, 5766, 3234, 0, 0, 0))).isEqualTo(
				"5766 notifications delivered, 3234 still on their way when it stopped waiting (the stack was catching up)");
	}

}
