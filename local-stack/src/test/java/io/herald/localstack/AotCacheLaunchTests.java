package io.herald.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's command line (the stack's JVM options, then the cache's, then its jar), and
 * which training run's file becomes the cache.
 */
class AotCacheLaunchTests {

	private static final Path JAVA = Path.of("/opt/jdk/bin/java");

	private static final String SOURCE = "ingestion.jar 1234 5678\n/opt/jdk 25\n";

	@Test
	void theStacksOptionsComeBeforeTheCachesAndTheJar() {
		AotCache.Launch cached = AotCache.Launch.cached(Path.of("/stack/aot/ingestion.jar"),
				Path.of("/stack/aot/app.aot"));

		AotCache.Start start = cached.withOptions(LocalStackSettings.SHORT_LIVED_JVM_OPTIONS).start(JAVA);

		assertThat(start.command()).containsExactly("/opt/jdk/bin/java", "-XX:TieredStopAtLevel=1",
				"-XX:AOTCache=/stack/aot/app.aot", "-jar", "/stack/aot/ingestion.jar");
		assertThat(start.training()).isNull();
	}

	@Test
	void noOptionsLeaveTheLaunchAsItWas() {
		AotCache.Launch plain = AotCache.Launch.plain(Path.of("/stack/ingestion.jar"));

		assertThat(plain.withOptions(List.of())).isSameAs(plain);
		assertThat(plain.start(JAVA).command()).containsExactly("/opt/jdk/bin/java", "-jar", "/stack/ingestion.jar");
	}

	@Test
	void aBuildWithoutACacheStartsTrainingRunsEachWritingAFileOfItsOwn(@TempDir Path aot) {
		AotCache.Launch launch = trainingLaunch(aot).withOptions(LocalStackSettings.SHORT_LIVED_JVM_OPTIONS);

		AotCache.Start first = launch.start(JAVA);
		AotCache.Start second = launch.start(JAVA);

		assertThat(first.training()).isNotNull();
		assertThat(second.training()).isNotNull();
		Path output = first.training().output();
		assertThat(output.getParent()).isEqualTo(aot);
		assertThat(second.training().output()).isNotEqualTo(output);
		assertThat(first.command()).containsExactly("/opt/jdk/bin/java", "-XX:TieredStopAtLevel=1",
				"-XX:AOTCacheOutput=" + output, "-Xlog:aot=error,cds=error", "-jar",
				aot.resolve("ingestion.jar").toString());
	}

	@Test
	void aStoppedRunWhoseJvmWroteItAllBecomesTheCacheAndLaterStartsUseIt(@TempDir Path aot) throws IOException {
		AotCache.Launch launch = trainingLaunch(aot);
		AotCache.TrainingRun run = launch.start(JAVA).training();
		Files.writeString(run.output(), "the cache");
		Path log = writtenLog(aot, run.output());

		run.finish(true, log);

		assertThat(aot.resolve("app.aot")).hasContent("the cache");
		assertThat(run.output()).doesNotExist();
		assertThat(aot.resolve("source.txt")).hasContent(SOURCE);
		AotCache.Start later = launch.start(JAVA);
		assertThat(later.training()).isNull();
		assertThat(later.command()).contains("-XX:AOTCache=" + aot.resolve("app.aot"));
	}

	@Test
	void aRunThatWasNotStoppedOrDidNotSayItWroteItAllLeavesNoCache(@TempDir Path aot) throws IOException {
		AotCache.Launch launch = trainingLaunch(aot);
		AotCache.TrainingRun crashed = launch.start(JAVA).training();
		Files.writeString(crashed.output(), "a cache of a run that crashed");
		AotCache.TrainingRun cutShort = launch.start(JAVA).training();
		Files.writeString(cutShort.output(), "half a cache");
		Files.writeString(cutShort.output().resolveSibling(cutShort.output().getFileName() + ".config"), "its notes");
		Path silentLog = Files.writeString(aot.resolve("silent.log"), "Started\n");

		crashed.finish(false, writtenLog(aot, crashed.output()));
		cutShort.finish(true, silentLog);

		assertThat(aot).isDirectoryNotContaining("glob:**/app.aot*");
		assertThat(launch.start(JAVA).training()).as("the next start trains again").isNotNull();
	}

	@Test
	void theFirstCacheOfABuildStaysAndLaterRunsFilesGo(@TempDir Path aot) throws IOException {
		AotCache.Launch launch = trainingLaunch(aot);
		AotCache.TrainingRun first = launch.start(JAVA).training();
		AotCache.TrainingRun second = launch.start(JAVA).training();
		Files.writeString(first.output(), "the first");
		Files.writeString(second.output(), "the second");

		first.finish(true, writtenLog(aot, first.output()));
		second.finish(true, writtenLog(aot, second.output()));

		assertThat(aot.resolve("app.aot")).hasContent("the first");
		assertThat(second.output()).doesNotExist();
	}

	@Test
	void aCacheOfAnotherBuildIsNotUsed(@TempDir Path aot) throws IOException {
		Files.writeString(aot.resolve("app.aot"), "an earlier build's");
		Files.writeString(aot.resolve("source.txt"), "an earlier build", StandardCharsets.UTF_8);

		AotCache.Start start = trainingLaunch(aot).start(JAVA);

		assertThat(start.training()).isNotNull();
	}

	/** The launch of a build without a cache in {@code aot}. */
	private static AotCache.Launch trainingLaunch(Path aot) {
		return AotCache.Launch.training(aot.resolve("ingestion.jar"),
				new AotCache.Training("ingestion.jar", aot, SOURCE));
	}

	/** A run's log as the JVM ends it once it has written its whole cache. */
	private static Path writtenLog(Path directory, Path output) throws IOException {
		return Files.writeString(directory.resolve("log-of-" + output.getFileName()), "Reading AOTConfiguration "
				+ output + ".config and writing AOTCache " + output + "\n" + AotCache.WRITTEN + output + " 9 bytes\n");
	}

}
