package io.herald.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LocalStackSettingsTests {

	private static final Path HOME = Path.of("/repo");

	private static final Path WORKING_DIRECTORY = Path.of("/somewhere");

	@Test
	void emptyEnvironmentGivesTheDocumentedDefaults() {
		LocalStackSettings settings = LocalStackSettings.fromEnvironment(Map.of(), HOME, WORKING_DIRECTORY);
		assertThat(settings.kafkaPort()).isEqualTo(19092);
		assertThat(settings.redisPort()).isEqualTo(16379);
		assertThat(settings.demoTenant()).isEqualTo("demo");
		assertThat(settings.demoApiKey()).isEqualTo("demo-key");
		assertThat(settings.demoJwtSecret()).isEqualTo("demo-secret-0123456789abcdef0123456789abcdef");
		assertThat(settings.dataDirectory()).isEqualTo(Path.of("/repo/data"));
		assertThat(settings.services()).containsExactly(
				new Service("ingestion", "ingestion-service", "HERALD_INGESTION_PORT", 8080,
						"HERALD_INGESTION_MANAGEMENT_PORT", 9080),
				new Service("routing", "routing-service", "HERALD_ROUTING_PORT", 8081, "HERALD_ROUTING_MANAGEMENT_PORT",
						9081),
				new Service("gateway", "websocket-gateway", "HERALD_GATEWAY_PORT", 8082,
						"HERALD_GATEWAY_MANAGEMENT_PORT", 9082),
				new Service("delivery", "delivery-service", "HERALD_DELIVERY_PORT", 8083,
						"HERALD_DELIVERY_MANAGEMENT_PORT", 9083));
		assertThat(settings.sandboxPort()).isEqualTo(8090);
		assertThat(settings.warmup()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.aotCache()).isTrue();
		assertThat(settings.kafkaBrokers()).isEqualTo(1);
	}

	@Test
	void kafkaCanRunAsAClusterOfUpToFiveNodes() {
		LocalStackSettings settings = LocalStackSettings.fromEnvironment(Map.of("HERALD_KAFKA_BROKERS", "3"), HOME,
				WORKING_DIRECTORY);
		assertThat(settings.kafkaBrokers()).isEqualTo(3);
		assertThat(settings.kafkaClusterDirectory()).isNotEqualTo(settings.kafkaDirectory());
		assertThatIllegalArgumentException().isThrownBy(
				() -> LocalStackSettings.fromEnvironment(Map.of("HERALD_KAFKA_BROKERS", "6"), HOME, WORKING_DIRECTORY))
			.withMessage("HERALD_KAFKA_BROKERS must be between 1 and 5, but was 6");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("HERALD_KAFKA_BROKERS", "three"), HOME,
					WORKING_DIRECTORY))
			.withMessage("HERALD_KAFKA_BROKERS must be a number, but was 'three'");
	}

	@Test
	void warmupAndAotCacheCanBeTurnedOff() {
		LocalStackSettings settings = LocalStackSettings
			.fromEnvironment(Map.of("HERALD_WARMUP", "0", "HERALD_AOT_CACHE", "off"), HOME, WORKING_DIRECTORY);
		assertThat(settings.warmup()).isZero();
		assertThat(settings.aotCache()).isFalse();
		assertThat(LocalStackSettings.fromEnvironment(Map.of("HERALD_WARMUP", "2m"), HOME, WORKING_DIRECTORY).warmup())
			.isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void warmupAndAotCacheRejectWhatTheyCannotRead() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> LocalStackSettings.fromEnvironment(Map.of("HERALD_WARMUP", "soon"), HOME, WORKING_DIRECTORY))
			.withMessageContaining("HERALD_WARMUP");
		assertThatIllegalArgumentException().isThrownBy(
				() -> LocalStackSettings.fromEnvironment(Map.of("HERALD_AOT_CACHE", "yes"), HOME, WORKING_DIRECTORY))
			.withMessage("HERALD_AOT_CACHE must be 'on' or 'off', but was 'yes'");
	}

	@Test
	void stacksOfThisModulesTestsNeitherWarmUpNorTrainACacheAndCompileWithC1Alone() {
		LocalStackSettings settings = new LocalStackSettings(19092, 16379, "demo", "demo-key",
				LocalStackSettings.DEFAULT_DEMO_JWT_SECRET, Path.of("/data"), List.of(), Duration.ofSeconds(10));
		assertThat(settings.warmup()).isZero();
		assertThat(settings.aotCache()).isFalse();
		assertThat(settings.serviceJvmOptions()).containsExactly("-XX:TieredStopAtLevel=1");
		assertThat(settings.brokerJvmOptions()).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
	}

	@Test
	void theStackOfPlatformUpRunsItsServicesWithTheirOwnJvmOptionsOnly() {
		LocalStackSettings settings = LocalStackSettings.fromEnvironment(Map.of(), HOME, WORKING_DIRECTORY);
		assertThat(settings.shortLived()).isFalse();
		assertThat(settings.serviceJvmOptions()).isEmpty();
		assertThat(settings.brokerJvmOptions()).isEmpty();
	}

	@Test
	void sandboxPageMovesToAnotherPort() {
		LocalStackSettings settings = LocalStackSettings.fromEnvironment(Map.of("HERALD_SANDBOX_PORT", "9090"), HOME,
				WORKING_DIRECTORY);
		assertThat(settings.sandboxPort()).isEqualTo(9090);
		assertThat(settings.runsDelivery()).isTrue();
	}

	@Test
	void environmentOverridesEveryDefault() {
		LocalStackSettings settings = LocalStackSettings
			.fromEnvironment(Map.ofEntries(Map.entry("HERALD_KAFKA_PORT", "29092"),
					Map.entry("HERALD_REDIS_PORT", "26379"), Map.entry("HERALD_INGESTION_PORT", "7080"),
					Map.entry("HERALD_ROUTING_PORT", "7081"), Map.entry("HERALD_GATEWAY_PORT", "7082"),
					Map.entry("HERALD_DELIVERY_PORT", "7083"), Map.entry("HERALD_INGESTION_MANAGEMENT_PORT", "7180"),
					Map.entry("HERALD_ROUTING_MANAGEMENT_PORT", "7181"),
					Map.entry("HERALD_GATEWAY_MANAGEMENT_PORT", "7182"),
					Map.entry("HERALD_DELIVERY_MANAGEMENT_PORT", "7183"), Map.entry("HERALD_DEMO_TENANT", "acme"),
					Map.entry("HERALD_DEMO_API_KEY", "acme-key"), Map.entry("HERALD_DEMO_JWT_SECRET", "x".repeat(40)),
					Map.entry("HERALD_DATA_DIR", "local-data")), HOME, WORKING_DIRECTORY);
		assertThat(settings.kafkaPort()).isEqualTo(29092);
		assertThat(settings.redisPort()).isEqualTo(26379);
		assertThat(settings.services()).extracting(Service::port).containsExactly(7080, 7081, 7082, 7083);
		assertThat(settings.services()).extracting(Service::managementPort).containsExactly(7180, 7181, 7182, 7183);
		assertThat(settings.demoTenant()).isEqualTo("acme");
		assertThat(settings.demoApiKey()).isEqualTo("acme-key");
		assertThat(settings.demoJwtSecret()).hasSize(40);
		assertThat(settings.dataDirectory()).isEqualTo(Path.of("/somewhere/local-data"));
		assertThat(settings.logDirectory()).isEqualTo(Path.of("/somewhere/local-data/logs"));
	}

	@Test
	void managementPortThatIsAnApiPortIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("HERALD_ROUTING_MANAGEMENT_PORT", "8080"), HOME,
					WORKING_DIRECTORY))
			.withMessage("HERALD_ROUTING_MANAGEMENT_PORT and HERALD_INGESTION_PORT must differ, both are 8080");
	}

	@Test
	void blankVariablesCountAsUnset() {
		LocalStackSettings settings = LocalStackSettings.fromEnvironment(Map.of("HERALD_KAFKA_PORT", " "), HOME,
				WORKING_DIRECTORY);
		assertThat(settings.kafkaPort()).isEqualTo(19092);
	}

	@Test
	void nonNumericPortIsRejectedWithItsVariable() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> LocalStackSettings.fromEnvironment(Map.of("HERALD_REDIS_PORT", "redis"), HOME, WORKING_DIRECTORY))
			.withMessage("HERALD_REDIS_PORT must be a TCP port (1-65535), but was 'redis'");
	}

	@Test
	void portOutOfRangeIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("HERALD_INGESTION_PORT", "70000"), HOME,
					WORKING_DIRECTORY))
			.withMessageStartingWith("HERALD_INGESTION_PORT must be a TCP port");
	}

	@Test
	void twoComponentsCannotShareAPort() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> LocalStackSettings.fromEnvironment(Map.of("HERALD_REDIS_PORT", "19092"), HOME, WORKING_DIRECTORY))
			.withMessage("HERALD_REDIS_PORT and HERALD_KAFKA_PORT must differ, both are 19092");
	}

	@Test
	void shortJwtSecretIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("HERALD_DEMO_JWT_SECRET", "short"), HOME,
					WORKING_DIRECTORY))
			.withMessageContaining("HERALD_DEMO_JWT_SECRET must be at least 32 bytes");
	}

	@Test
	void servicesCanBeLeftOutToRunOnlyTheInfrastructure() {
		LocalStackSettings settings = LocalStackSettings.fromEnvironment(Map.of("HERALD_SERVICES", "none"), HOME,
				WORKING_DIRECTORY);
		assertThat(settings.services()).isEmpty();
	}

	@Test
	void unknownServiceNameIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("HERALD_SERVICES", "ingestion,billing"), HOME,
					WORKING_DIRECTORY))
			.withMessageStartingWith("HERALD_SERVICES names an unknown service 'billing'");
	}

	@Test
	void onFreePortsRunsTheNamedServicesOnFreePortsOfTheirOwnShortLivedFromTheirCachesWithoutWarmup() {
		LocalStackSettings settings = LocalStackSettings.onFreePorts(Path.of("/tmp/stack"), Duration.ofSeconds(90), 3,
				List.of("gateway", "ingestion"));
		assertThat(settings.services()).extracting(Service::name).containsExactly("gateway", "ingestion");
		List<Integer> ports = List.of(settings.kafkaPort(), settings.redisPort(), settings.service("gateway").port(),
				settings.service("gateway").managementPort(), settings.service("ingestion").port(),
				settings.service("ingestion").managementPort());
		assertThat(ports).doesNotHaveDuplicates().doesNotContain(19092, 16379, 8080, 8082, 9080, 9082);
		assertThat(settings.service("gateway").url()).isEqualTo("http://127.0.0.1:" + ports.get(2));
		assertThat(settings)
			.extracting(LocalStackSettings::demoTenant, LocalStackSettings::demoApiKey, LocalStackSettings::sandboxPort,
					LocalStackSettings::warmup, LocalStackSettings::aotCache, LocalStackSettings::kafkaBrokers,
					LocalStackSettings::readinessTimeout, LocalStackSettings::shortLived)
			.containsExactly("demo", "demo-key", 0, Duration.ZERO, true, 3, Duration.ofSeconds(90), true);
	}

	@Test
	void onFreePortsRejectsAnUnknownServiceAndServiceNamesOnlyTheServicesThatRun() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalStackSettings.onFreePorts(Path.of("/tmp/stack"), Duration.ofSeconds(90), 1,
					List.of("billing")))
			.withMessage("No service 'billing'");
		LocalStackSettings settings = LocalStackSettings.onFreePorts(Path.of("/tmp/stack"), Duration.ofSeconds(90), 1,
				List.of("ingestion"));
		assertThatExceptionOfType(LocalStackException.class).isThrownBy(() -> settings.service("routing"))
			.withMessage("No service 'routing' runs");
	}

}
