package io.herald.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.herald.infra.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Trains the AOT cache of the real ingestion service in its first run against a real
 * broker, stopped as the stack stops it, and checks that the JVM accepts the cache:
 * {@code -XX:AOTMode=on} makes a JVM that cannot use its cache fail at start.
 */
class AotCacheIntegrationTests {

	private static final Path INGESTION_JAR = ServiceProcess.findJar(Path.of("..").toAbsolutePath().normalize(),
			"ingestion-service");

	private static KafkaBroker kafka;

	@BeforeAll
	static void startKafka() {
		assumeTrue(Runtime.version().feature() >= AotCache.MIN_JAVA_FEATURE, "an AOT cache needs JDK 25+");
		kafka = KafkaBroker.builder().build().start();
	}

	@AfterAll
	static void stopKafka() {
		if (kafka != null) {
			kafka.close();
		}
	}

	@Test
	void aNewBuildsFirstRunWritesTheCacheWhenStoppedAndLaterRunsStartFromIt(@TempDir Path target) throws Exception {
		Path jar = Files.copy(INGESTION_JAR, target.resolve(INGESTION_JAR.getFileName()));
		Path aot = Files.createDirectories(target.resolve("aot"));
		// What an earlier build left: a cache that does not belong to this jar.
		Files.writeString(aot.resolve("app.aot"), "not a cache", StandardCharsets.UTF_8);
		Files.writeString(aot.resolve("source.txt"), "an earlier build", StandardCharsets.UTF_8);
		Path logs = target.resolve("logs");
		AotCache cache = AotCache.forThisJvm();

		AotCache.Launch launch = cache.prepare(jar, logs.resolve("extract.log"));

		assertThat(launch.jar()).isEqualTo(aot.resolve(jar.getFileName()));
		assertThat(aot.resolve("app.aot")).as("the earlier build's cache is gone").doesNotExist();
		AotCache.Start first = launch.start(javaBinary());
		assertThat(first.training()).as("the first run trains").isNotNull();
		Path firstLog = logs.resolve("first.log");
		Process service = start(first.command(), firstLog);
		await().atMost(Duration.ofMinutes(3))
			.until(() -> !service.isAlive() || Files.readString(firstLog).contains("Started IngestionApplication"));
		service.destroy();
		assertThat(service.waitFor(AotCache.WRITE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		first.training().finish(true, firstLog);

		Path cacheFile = aot.resolve("app.aot");
		assertThat(Files.size(cacheFile)).isGreaterThan(1_000_000);
		assertThat(aot).isDirectoryNotContaining("glob:**/app.aot.*");
		assertThat(Files.readString(aot.resolve("source.txt"), StandardCharsets.UTF_8))
			.contains(jar.getFileName().toString());
		assertThat(launch.start(javaBinary()).command()).as("the same launch now starts from the cache")
			.contains("-XX:AOTCache=" + cacheFile);
		AotCache.Launch later = cache.prepare(jar, logs.resolve("extract.log"));
		assertThat(later).isEqualTo(AotCache.Launch.cached(aot.resolve(jar.getFileName()), cacheFile));

		List<String> command = new ArrayList<>(later.start(javaBinary()).command());
		command.addAll(1, List.of("-XX:AOTMode=on", "-Dspring.context.exit=onRefresh"));
		Process cached = start(command, logs.resolve("cached-start.log"));
		assertThat(cached.waitFor(3, TimeUnit.MINUTES)).isTrue();
		assertThat(cached.exitValue())
			.as("the JVM starts the service with the cache as it is, or fails; see %s", target)
			.isZero();
	}

	@Test
	void aJarTheToolsCannotExtractStartsWithoutACache(@TempDir Path target) throws IOException {
		Path jar = Files.writeString(target.resolve("broken-service-0.1.0-SNAPSHOT.jar"), "not a jar");

		AotCache.Launch launch = AotCache.forThisJvm().prepare(jar, target.resolve("extract.log"));

		assertThat(launch).isEqualTo(AotCache.Launch.plain(jar));
	}

	private static Map<String, String> environment() {
		return Map.of("HERALD_KAFKA_BOOTSTRAP", kafka.bootstrapServers(), "SPRING_PROFILES_ACTIVE",
				ServiceEnvironment.LOCAL_PROFILE, "HERALD_APIKEYS_0_TENANT", "demo", "HERALD_APIKEYS_0_NAME", "demo",
				"HERALD_APIKEYS_0_SHA256", ServiceEnvironment.sha256Hex("demo-key"));
	}

	private static Path javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java");
	}

	/** Starts the service on free ports. */
	private static Process start(List<String> command, Path output) throws IOException {
		Files.createDirectories(output.getParent());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		builder.environment().putAll(environment());
		builder.environment().putAll(Map.of("SERVER_PORT", "0", "MANAGEMENT_SERVER_PORT", "0"));
		return builder.start();
	}

}
