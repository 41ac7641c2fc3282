package io.herald.localstack;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's command line: the stack's JVM options, then the cache's, then its jar.
 */
class AotCacheLaunchTests {

	private static final Path JAVA = Path.of("/opt/jdk/bin/java");

	@Test
	void theStacksOptionsComeBeforeTheCachesAndTheJar() {
		AotCache.Launch cached = AotCache.Launch.cached(Path.of("/stack/aot/ingestion.jar"),
				Path.of("/stack/aot/app.aot"));

		assertThat(cached.withOptions(LocalStackSettings.SHORT_LIVED_JVM_OPTIONS).command(JAVA)).containsExactly(
				"/opt/jdk/bin/java", "-XX:TieredStopAtLevel=1", "-XX:AOTCache=/stack/aot/app.aot", "-jar",
				"/stack/aot/ingestion.jar");
	}

	@Test
	void noOptionsLeaveTheLaunchAsItWas() {
		AotCache.Launch plain = AotCache.Launch.plain(Path.of("/stack/ingestion.jar"));

		assertThat(plain.withOptions(List.of())).isSameAs(plain);
		assertThat(plain.command(JAVA)).containsExactly("/opt/jdk/bin/java", "-jar", "/stack/ingestion.jar");
	}

}
