package io.herald.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Trains the AOT cache of the real ingestion service against a real broker, and checks
 * that the JVM accepts it: {@code -XX:AOTMode=on} makes a JVM that cannot use its cache
 * fail at start.
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
	void aNewBuildIsTrainedOnceAndStartsFromItsCache(@TempDir Path target) throws Exception {
		Path jar = Files.copy(INGESTION_JAR, target.resolve(INGESTION_JAR.getFileName()));
		Path aot = Files.createDirectories(target.resolve("aot"));
		// What an earlier build left: a cache that does not belong to this jar.
		Files.writeString(aot.resolve("app.aot"), "not a cache", StandardCharsets.UTF_8);
		Files.writeString(aot.resolve("source.txt"), "an earlier build", StandardCharsets.UTF_8);
		Path trainingLog = target.resolve("logs").resolve("training.log");
		AotCache cache = AotCache.forThisJvm();

		AotCache.Launch launch = cache.prepare(jar, AotCacheIntegrationTests::environment, trainingLog);

		Path cacheFile = aot.resolve("app.aot");
		assertThat(launch.options()).containsExactly("-XX:AOTCache=" + cacheFile);
		assertThat(launch.jar()).isEqualTo(aot.resolve(jar.getFileName()));
		assertThat(Files.size(cacheFile)).isGreaterThan(1_000_000);
		assertThat(Files.readString(aot.resolve("source.txt"), StandardCharsets.UTF_8))
			.contains(jar.getFileName().toString());
		FileTime trained = Files.getLastModifiedTime(cacheFile);
		assertThat(cache.prepare(jar, AotCacheIntegrationTests::environment, trainingLog)).isEqualTo(launch);
		assertThat(Files.getLastModifiedTime(cacheFile)).as("the same build is not trained again").isEqualTo(trained);

		List<String> command = new ArrayList<>(launch.command(javaBinary()));
		command.addAll(1, List.of("-XX:AOTMode=on", "-Dspring.context.exit=onRefresh"));
		assertThat(run(command, environment(), target.resolve("logs").resolve("cached-start.log")))
			.as("the JVM starts the service with the cache as it is, or fails; see %s", target)
			.isZero();
	}

	@Test
	void aJarTheToolsCannotExtractStartsWithoutACache(@TempDir Path target) throws IOException {
		Path jar = Files.writeString(target.resolve("broken-service-0.1.0-SNAPSHOT.jar"), "not a jar");

		AotCache.Launch launch = AotCache.forThisJvm().prepare(jar, Map::of, target.resolve("training.log"));

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

	private static int run(List<String> command, Map<String, String> environment, Path output)
			throws IOException, InterruptedException {
		Files.createDirectories(output.getParent());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		builder.environment().putAll(environment);
		Process process = builder.start();
		if (!process.waitFor(3, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

}
