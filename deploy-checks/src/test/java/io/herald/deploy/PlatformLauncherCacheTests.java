package io.herald.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the {@code platform} script runs the launcher ({@code launcher_args}): from its JDK
 * AOT cache once a run has written one, as the run that writes it until then, and from
 * its jar without a JDK 25 or with the cache off. Runs the script's own function,
 * sourced, against a launcher jar of Spring Boot's layout in a repository of its own,
 * with this JDK's {@code jar} tool.
 */
class PlatformLauncherCacheTests {

	private static final String MAIN_CLASS = "io.herald.localstack.LocalStackCommand";

	/** A pid no process has: Linux's pids stay below 2^22. */
	private static final long DEAD_PID = 9_999_999;

	@TempDir
	Path root;

	private Path jar;

	private Path aot;

	@BeforeEach
	void buildTheLauncherJar() throws IOException {
		this.jar = this.root.resolve("local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar");
		this.aot = this.root.resolve("local-stack/target/aot");
		writeLauncherJar(this.jar, "first build");
	}

	@Test
	void aBuildWithoutACacheRunsFromPlainJarsAndWritesOneAtItsExit() throws Exception {
		List<String> launch = launcherArgs(25, Map.of());

		assertThat(launch).hasSize(5);
		assertThat(launch.get(0)).startsWith("-XX:AOTCacheOutput=" + this.aot.resolve("launcher.aot."));
		assertThat(launch.subList(1, 5)).containsExactly("-Xlog:aot=error,cds=error",
				"-XX:ErrorFile=" + this.aot.resolve("hs_err_pid%p.log"), "-jar",
				this.aot.resolve("local-stack-0.1.0-SNAPSHOT.jar").toString());
		try (JarFile classes = new JarFile(this.aot.resolve("local-stack-0.1.0-SNAPSHOT.jar").toFile())) {
			assertThat(classes.getEntry("io/herald/localstack/build.txt")).isNotNull();
			Attributes manifest = classes.getManifest().getMainAttributes();
			assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo(MAIN_CLASS);
			assertThat(manifest.getValue(Attributes.Name.CLASS_PATH))
				.isEqualTo("unpacked/BOOT-INF/lib/kafka.jar unpacked/BOOT-INF/lib/redis.jar");
		}
	}

	@Test
	void aCacheTheLastRunFinishedIsKeptAndUsed() throws Exception {
		launcherArgs(25, Map.of());
		Files.writeString(this.aot.resolve("launcher.aot." + DEAD_PID), "a cache");

		List<String> launch = launcherArgs(25, Map.of());

		assertThat(launch.subList(0, 3)).containsExactly("-XX:AOTCache=" + this.aot.resolve("launcher.aot"),
				"-Xlog:aot*=error", "-XX:ErrorFile=" + this.aot.resolve("hs_err_pid%p.log"));
		assertThat(launch).endsWith("-jar", this.aot.resolve("local-stack-0.1.0-SNAPSHOT.jar").toString());
		assertThat(this.aot.resolve("launcher.aot")).hasContent("a cache");
		assertThat(launcherArgs(25, Map.of()).get(0)).as("and by every later start")
			.isEqualTo("-XX:AOTCache=" + this.aot.resolve("launcher.aot"));
	}

	@Test
	void aCacheTheJvmDidNotFinishIsDeletedAndTheNextRunTrainsAgain() throws Exception {
		launcherArgs(25, Map.of());
		Path unfinished = Files.writeString(this.aot.resolve("launcher.aot." + DEAD_PID), "half a cache");
		Path notes = Files.writeString(this.aot.resolve("launcher.aot." + DEAD_PID + ".config"), "");
		Path killedEarly = Files.writeString(this.aot.resolve("launcher.aot." + (DEAD_PID - 1) + ".config"), "");

		List<String> launch = launcherArgs(25, Map.of());

		assertThat(launch.get(0)).startsWith("-XX:AOTCacheOutput=");
		assertThat(unfinished).doesNotExist();
		assertThat(notes).doesNotExist();
		assertThat(killedEarly).doesNotExist();
		assertThat(this.aot.resolve("launcher.aot")).doesNotExist();
	}

	@Test
	void aRunThatIsStillWritingItsCacheIsLeftAlone() throws Exception {
		launcherArgs(25, Map.of());
		long alive = ProcessHandle.current().pid();
		Path running = Files.writeString(this.aot.resolve("launcher.aot." + alive + ".config"), "");

		launcherArgs(25, Map.of());

		assertThat(running).exists();
	}

	@Test
	void aNewBuildIsUnpackedAgainAndItsCacheTrainedAgain() throws Exception {
		launcherArgs(25, Map.of());
		Files.writeString(this.aot.resolve("launcher.aot." + DEAD_PID), "the first build's cache");
		assertThat(launcherArgs(25, Map.of()).get(0)).startsWith("-XX:AOTCache=");
		writeLauncherJar(this.jar, "second build");
		Files.setLastModifiedTime(this.jar, FileTime.from(Instant.now().plusSeconds(60)));

		List<String> launch = launcherArgs(25, Map.of());

		assertThat(launch.get(0)).startsWith("-XX:AOTCacheOutput=");
		assertThat(this.aot.resolve("launcher.aot")).doesNotExist();
		assertThat(this.aot.resolve("unpacked/BOOT-INF/classes/io/herald/localstack/build.txt"))
			.hasContent("second build");
	}

	@Test
	void anUnpackingOfAnEarlierScriptIsDoneAgain() throws Exception {
		launcherArgs(25, Map.of());
		Files.delete(this.aot.resolve("manifest.txt"));
		Files.writeString(this.aot.resolve("classpath"), "the classpath an earlier script ran with");
		Files.writeString(this.aot.resolve("launcher.aot." + DEAD_PID), "a cache of that classpath");

		List<String> launch = launcherArgs(25, Map.of());

		assertThat(launch.get(0)).startsWith("-XX:AOTCacheOutput=");
		assertThat(this.aot.resolve("classpath")).doesNotExist();
		assertThat(this.aot.resolve("manifest.txt")).exists();
	}

	@Test
	void anotherJdkTrainsAgain() throws Exception {
		launcherArgs(25, Map.of());
		Files.writeString(this.aot.resolve("launcher.aot." + DEAD_PID), "the cache of another JDK");
		assertThat(launcherArgs(25, Map.of()).get(0)).startsWith("-XX:AOTCache=");
		Files.writeString(this.aot.resolve("jdk"), "/opt/jdk-25 JAVA_VERSION=\"25.0.1\"\n");

		assertThat(launcherArgs(25, Map.of()).get(0)).startsWith("-XX:AOTCacheOutput=");
		assertThat(this.aot.resolve("launcher.aot")).doesNotExist();
	}

	@Test
	void anOlderJdkOrTheCacheTurnedOffRunsTheJar() throws Exception {
		assertThat(launcherArgs(21, Map.of())).containsExactly("-jar", this.jar.toString());
		assertThat(launcherArgs(25, Map.of("HERALD_AOT_CACHE", "off"))).containsExactly("-jar", this.jar.toString());
		assertThat(this.aot).doesNotExist();
	}

	/** {@code launcher_args} of the repository's script, one argument a line. */
	private List<String> launcherArgs(int javaMajor, Map<String, String> environment)
			throws IOException, InterruptedException {
		String script = "source '" + Repository.file("platform") + "'\nROOT='" + this.root + "'\nJAVA_HOME='"
				+ System.getProperty("java.home") + "'\nJAVA_MAJOR=" + javaMajor
				+ "\nlauncher_args\nprintf '%s\\n' \"${LAUNCH[@]}\"\n";
		ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
		builder.environment().remove("HERALD_AOT_CACHE");
		builder.environment().putAll(environment);
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output.lines().toList();
	}

	/**
	 * A jar of Spring Boot's executable layout: classes, two libraries and their index.
	 */
	private static void writeLauncherJar(Path jar, String build) throws IOException {
		Files.createDirectories(jar.getParent());
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
			entry(zip, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nStart-Class: " + MAIN_CLASS + "\n");
			entry(zip, "BOOT-INF/classes/io/herald/localstack/build.txt", build);
			entry(zip, "BOOT-INF/lib/kafka.jar", "a library");
			entry(zip, "BOOT-INF/lib/redis.jar", "another library");
			entry(zip, "BOOT-INF/classpath.idx", "- \"BOOT-INF/lib/kafka.jar\"\n- \"BOOT-INF/lib/redis.jar\"\n");
		}
	}

	private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
		zip.putNextEntry(new ZipEntry(name));
		OutputStream out = zip;
		out.write(content.getBytes(StandardCharsets.UTF_8));
		zip.closeEntry();
	}

}
