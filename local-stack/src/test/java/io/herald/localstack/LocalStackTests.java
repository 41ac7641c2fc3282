package io.herald.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LocalStackTests {

	private final LocalStackSettings settings = LocalStackSettings
		.fromEnvironment(Map.of("HERALD_DATA_DIR", "/data", "HERALD_WARMUP", "0"), Path.of("/repo"), Path.of("/"));

	private final LocalStack stack = new LocalStack(this.settings, Path.of("/repo"));

	@Test
	void servicesLearnWhereKafkaAndRedisAreAndGetOnlyTheHashOfTheDemoKeyWithAHighRateLimit() {
		Service ingestion = this.settings.services().get(0);
		assertThat(this.stack.serviceEnvironment(ingestion)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
				Map.entry("HERALD_KAFKA_BOOTSTRAP", "127.0.0.1:19092"), Map.entry("HERALD_REDIS_HOST", "127.0.0.1"),
				Map.entry("HERALD_REDIS_PORT", "16379"), Map.entry("SERVER_PORT", "8080"),
				Map.entry("MANAGEMENT_SERVER_PORT", "9080"), Map.entry("HERALD_DATA_DIR", "/data"),
				Map.entry("HERALD_KAFKA_INSTANCEID", "local-ingestion"), Map.entry("SPRING_PROFILES_ACTIVE", "local"),
				Map.entry("HERALD_APIKEYS_0_TENANT", "demo"), Map.entry("HERALD_APIKEYS_0_NAME", "demo"),
				// printf demo-key | sha256sum
				Map.entry("HERALD_APIKEYS_0_SHA256",
						"c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c"),
				Map.entry("HERALD_APIKEYS_0_EVENTSPERSECOND", "1000000"),
				Map.entry("HERALD_DEMO_JWT_SECRET", "demo-secret-0123456789abcdef0123456789abcdef"),
				Map.entry("HERALD_GATEWAY_JWT_TENANTS_0_TENANT", "demo"),
				Map.entry("HERALD_GATEWAY_JWT_TENANTS_0_SECRET", "demo-secret-0123456789abcdef0123456789abcdef"),
				Map.entry("HERALD_MANAGEMENT_OPERATORTOKENSHA256",
						ServiceEnvironment.sha256Hex(this.stack.operatorToken())),
				Map.entry("HERALD_INGESTION_WEBHOOKS_ALLOWPRIVATENETWORKS", "true")));
		assertThat(this.stack.operatorToken()).hasSize(64)
			.isNotEqualTo(new LocalStack(this.settings, Path.of("/repo")).operatorToken());
	}

	@Test
	void deliverySignsUnsubscribeLinksToRoutingWithTheKeyRoutingChecksAndTheGatewayReachesRoutingsManagementPort() {
		Map<String, Service> services = new HashMap<>();
		this.settings.services().forEach((service) -> services.put(service.name(), service));
		Map<String, String> delivery = this.stack.serviceEnvironment(services.get("delivery"));
		Map<String, String> routing = this.stack.serviceEnvironment(services.get("routing"));
		assertThat(delivery.get("HERALD_UNSUBSCRIBE_SIGNINGKEY")).hasSize(64)
			.isEqualTo(routing.get("HERALD_UNSUBSCRIBE_SIGNINGKEY"))
			.isNotEqualTo(new LocalStack(this.settings, Path.of("/repo")).serviceEnvironment(services.get("routing"))
				.get("HERALD_UNSUBSCRIBE_SIGNINGKEY"))
			.isNotEqualTo(this.stack.internalToken());
		assertThat(delivery).containsEntry("HERALD_UNSUBSCRIBE_BASEURL", "http://127.0.0.1:8081");
		assertThat(this.stack.serviceEnvironment(services.get("gateway")))
			.containsEntry("HERALD_GATEWAY_PREFERENCES_ROUTINGURL", "http://127.0.0.1:9081")
			.containsEntry("HERALD_ROUTING_PREFERENCESTOKEN", this.stack.preferencesToken())
			.doesNotContainKey("HERALD_ROUTING_INTERNALTOKEN")
			.doesNotContainKey("HERALD_UNSUBSCRIBE_SIGNINGKEY");
		assertThat(routing).containsEntry("HERALD_ROUTING_INTERNALTOKEN", this.stack.internalToken())
			.containsEntry("HERALD_ROUTING_PREFERENCESTOKEN", this.stack.preferencesToken());
		assertThat(this.stack.preferencesToken()).hasSize(64).isNotEqualTo(this.stack.internalToken());
		assertThat(delivery).doesNotContainKey("HERALD_ROUTING_INTERNALTOKEN")
			.doesNotContainKey("HERALD_ROUTING_PREFERENCESTOKEN");
	}

	@Test
	void withAWarmupServicesAlsoAcceptTheWarmupTenant() {
		LocalStack warming = new LocalStack(
				LocalStackSettings.fromEnvironment(Map.of("HERALD_DATA_DIR", "/data"), Path.of("/repo"), Path.of("/")),
				Path.of("/repo"));
		Service ingestion = this.settings.services().get(0);
		assertThat(warming.serviceEnvironment(ingestion)).containsEntry("HERALD_APIKEYS_1_TENANT", Warmup.TENANT)
			.containsEntry("HERALD_GATEWAY_JWT_TENANTS_1_TENANT", Warmup.TENANT)
			.containsEntry("HERALD_APIKEYS_0_TENANT", "demo");
	}

	@Test
	void anAddedTenantComesAfterTheDemoTenantAndTheWarmupTenant() {
		this.stack.addTenant("rival", "rival-key", "rival-secret-0123456789abcdef0123456789abcdef");
		Service gateway = this.settings.services().get(2);
		assertThat(this.stack.serviceEnvironment(gateway)).containsEntry("HERALD_APIKEYS_1_TENANT", "rival")
			.containsEntry("HERALD_APIKEYS_1_NAME", "rival")
			.containsEntry("HERALD_APIKEYS_1_SHA256", ServiceEnvironment.sha256Hex("rival-key"))
			.containsEntry("HERALD_APIKEYS_1_EVENTSPERSECOND", "1000000")
			.containsEntry("HERALD_GATEWAY_JWT_TENANTS_1_TENANT", "rival")
			.containsEntry("HERALD_GATEWAY_JWT_TENANTS_1_SECRET", "rival-secret-0123456789abcdef0123456789abcdef")
			.containsEntry("HERALD_APIKEYS_0_TENANT", "demo");
		LocalStack warming = new LocalStack(
				LocalStackSettings.fromEnvironment(Map.of("HERALD_DATA_DIR", "/data"), Path.of("/repo"), Path.of("/")),
				Path.of("/repo"));
		warming.addTenant("rival", "rival-key", "rival-secret-0123456789abcdef0123456789abcdef");
		assertThat(warming.serviceEnvironment(gateway)).containsEntry("HERALD_APIKEYS_1_TENANT", Warmup.TENANT)
			.containsEntry("HERALD_APIKEYS_2_TENANT", "rival")
			.containsEntry("HERALD_GATEWAY_JWT_TENANTS_2_TENANT", "rival");
	}

	@Test
	void hintShowsHowToUseTheOperatorTokenOnDeliverysManagementPort() {
		assertThat(this.stack.hint()).contains(
				"curl -s localhost:9083/actuator/lanes -H 'Authorization: Bearer " + this.stack.operatorToken() + "'");
	}

	@Test
	void readyLineNamesEveryUrlOnOneLine() {
		assertThat(this.stack.readyLine()).isEqualTo(
				"READY ingestion=http://127.0.0.1:8080 routing=http://127.0.0.1:8081 gateway=http://127.0.0.1:8082 delivery=http://127.0.0.1:8083 kafka=127.0.0.1:19092 redis=127.0.0.1:16379 ingestion-management=http://127.0.0.1:9080 routing-management=http://127.0.0.1:9081 gateway-management=http://127.0.0.1:9082 delivery-management=http://127.0.0.1:9083 logs=/data/logs");
	}

	@Test
	void theWarmUpsMarkerHoldsTheLaunchersPidWhileItRunsAndIsGoneAfterwardsHoweverItEnded(@TempDir Path data)
			throws Exception {
		Path marker = data.resolve(LocalStack.WARMUP_RUNNING);
		String pid = Long.toString(ProcessHandle.current().pid());
		StringBuilder seen = new StringBuilder();

		LocalStack.whileMarked(marker, () -> seen.append(readQuietly(marker)));

		assertThat(seen).hasToString(pid);
		assertThat(marker).doesNotExist();
		assertThatIllegalStateException().isThrownBy(() -> LocalStack.whileMarked(marker, () -> {
			throw new IllegalStateException("the warm-up failed");
		}));
		assertThat(marker).doesNotExist();
		LocalStack.whileMarked(data.resolve("missing").resolve(LocalStack.WARMUP_RUNNING), () -> seen.append("ran"));
		assertThat(seen).hasToString(pid + "ran");
	}

	@Test
	void theWarmUpRunsOnceTheErasureOfAnEarlierOnesKeysEndedHoweverItEnded() throws Exception {
		CompletableFuture<Void> erasure = new CompletableFuture<>();
		CountDownLatch ran = new CountDownLatch(1);
		Thread warmup = Thread.ofPlatform().start(LocalStack.after(erasure, ran::countDown));

		assertThat(ran.await(200, TimeUnit.MILLISECONDS)).as("before the erasure ended").isFalse();
		erasure.complete(null);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		warmup.join();

		AtomicBoolean afterAFailure = new AtomicBoolean();
		LocalStack
			.after(CompletableFuture.failedFuture(new IllegalStateException("Redis went away")),
					() -> afterAFailure.set(true))
			.run();
		assertThat(afterAFailure).isTrue();
	}

	@Test
	void aNewLocalStacksTopicsHaveFourPartitionsAndAnEarlierOnesKeepTheirs(@TempDir Path data) throws Exception {
		LocalStackSettings up = LocalStackSettings.fromEnvironment(Map.of("HERALD_DATA_DIR", data.toString()),
				Path.of("/repo"), Path.of("/"));
		assertThat(LocalStack.topicPartitions(up, null)).hasValue("4");

		Path kafka = Files.createDirectories(data.resolve("kafka"));
		for (int partition = 0; partition < 12; partition++) {
			Files.createDirectories(kafka.resolve("herald.events-" + partition));
			Files.createDirectories(kafka.resolve("herald.status-" + partition));
		}
		Files.createDirectories(kafka.resolve("herald.events.critical-0"));
		assertThat(LocalStack.topicPartitions(up, null)).hasValue("12");
		assertThat(LocalStack.topicPartitions(up, " ")).hasValue("12");

		assertThat(LocalStack.topicPartitions(up, "6")).isEmpty();
		assertThat(LocalStack.topicPartitions(LocalStackSettings.fromEnvironment(
				Map.of("HERALD_DATA_DIR", data.toString(), "HERALD_KAFKA_BROKERS", "3"), Path.of("/repo"),
				Path.of("/")), null))
			.isEmpty();
		assertThat(LocalStack.topicPartitions(
				LocalStackSettings.onFreePorts(data, Duration.ofMinutes(1), 1, List.of("ingestion")), null))
			.isEmpty();
	}

	private static String readQuietly(Path file) {
		try {
			return Files.readString(file);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
