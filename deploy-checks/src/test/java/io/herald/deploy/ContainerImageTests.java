package io.herald.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/docker/Dockerfile}, the one image recipe of every service, and the
 * {@code .dockerignore} of its build context (the repository's root), read as text.
 */
class ContainerImageTests {

	private static final Path DOCKERFILE = Repository.file("deploy/docker/Dockerfile");

	/**
	 * Spring Boot's default layers, least often changed first: the order the image must
	 * add them in (without the launcher, {@code spring-boot-loader} is empty).
	 */
	private static final List<String> LAYERS = List.of("dependencies", "snapshot-dependencies", "application");

	private final List<String> instructions = instructions(Repository.read(DOCKERFILE));

	@Test
	void buildsWithAJdkAndRunsOnAJreOfJava25() {
		assertThat(this.instructions).contains("ARG JDK_IMAGE=eclipse-temurin:25-jdk",
				"ARG JRE_IMAGE=eclipse-temurin:25-jre");
		assertThat(this.instructions.stream().filter((line) -> line.startsWith("FROM ")))
			.containsExactly("FROM ${JDK_IMAGE} AS build", "FROM ${JRE_IMAGE}");
	}

	@Test
	void buildsTheModuleAndWhatItNeedsWithTheMavenWrapper() {
		assertThat(this.instructions).anyMatch((line) -> line.startsWith("RUN ") && line.contains("./mvnw")
				&& line.contains("-pl \"${MODULE}\" -am") && line.contains(" package"));
	}

	@Test
	void extractsTheLayersAsPlainJarsAndAddsThemLeastChangedFirst() {
		assertThat(this.instructions).anyMatch((line) -> line.contains("java -Djarmode=tools -jar")
				&& line.contains("extract --layers --application-filename app.jar --destination /layers")
				&& !line.contains("--launcher"));
		assertThat(this.instructions.stream().filter((line) -> line.startsWith("COPY --from=build")))
			.containsExactlyElementsOf(
					LAYERS.stream().map((layer) -> "COPY --from=build /layers/" + layer + "/ ./").toList());
	}

	@Test
	void trainsAnAotCacheAfterTheApplicationLayerAndStartsFromIt() {
		int application = this.instructions.indexOf("COPY --from=build /layers/application/ ./");
		int training = indexOf((line) -> line.startsWith("RUN java -XX:AOTCacheOutput=app.aot"));
		assertThat(training).as("trained on the application it runs").isGreaterThan(application);
		assertThat(this.instructions.get(training)).contains("-Dspring.context.exit=onRefresh",
				"-Dspring.kafka.admin.auto-create=false", "-jar app.jar");
		assertThat(indexOf((line) -> line.startsWith("ENV JAVA_TOOL_OPTIONS=")))
			.as("trained with the options it runs with")
			.isLessThan(training);
		assertThat(this.instructions.get(this.instructions.size() - 1))
			.isEqualTo("ENTRYPOINT [\"java\", \"-XX:AOTCache=app.aot\", \"-jar\", \"app.jar\"]");
	}

	private int indexOf(Predicate<String> instruction) {
		for (int i = 0; i < this.instructions.size(); i++) {
			if (instruction.test(this.instructions.get(i))) {
				return i;
			}
		}
		return -1;
	}

	@Test
	void runsAsANonRootUserWithAHeapThatFollowsTheContainersMemory() {
		List<String> users = this.instructions.stream().filter((line) -> line.startsWith("USER ")).toList();
		assertThat(users).isNotEmpty();
		Matcher user = Pattern.compile("USER (\\d+)(?::(\\d+))?").matcher(users.get(users.size() - 1));
		assertThat(user.matches()).as("numeric user, so that runAsNonRoot can check it").isTrue();
		assertThat(Integer.parseInt(user.group(1))).isPositive();
		assertThat(this.instructions)
			.anyMatch((line) -> line.startsWith("ENV JAVA_TOOL_OPTIONS=") && line.contains("-XX:MaxRAMPercentage="));
	}

	@Test
	void runsAsTheUserTheKubernetesManifestsExpect() {
		String user = this.instructions.stream()
			.filter((line) -> line.startsWith("USER "))
			.reduce((a, b) -> b)
			.orElseThrow();
		for (Deployment deployment : KubernetesManifests.load().deployments()) {
			PodSecurityContext pod = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
			assertThat("USER " + pod.getRunAsUser() + ":" + pod.getRunAsGroup())
				.as(deployment.getMetadata().getName() + " runAsUser:runAsGroup")
				.isEqualTo(user);
		}
	}

	@Test
	void buildContextLeavesOutBuildOutputButKeepsEveryModule() {
		List<String> ignored = Repository.read(Repository.file(".dockerignore"))
			.lines()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		assertThat(ignored).contains("**/target", ".git", "data");
		assertThat(ignored).as("the root pom lists every module, so each must be in the context")
			.doesNotContainAnyElementsOf(Repository.modules());
		assertThat(ignored).doesNotContain("mvnw", ".mvn", "pom.xml");
	}

	/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
	private static List<String> instructions(String dockerfile) {
		List<String> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : dockerfile.lines().toList()) {
			String stripped = line.strip();
			if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
				continue;
			}
			if (stripped.endsWith("\\")) {
				current.append(stripped, 0, stripped.length() - 1).append(' ');
				continue;
			}
			current.append(stripped);
			instructions.add(current.toString().replaceAll("\\s+", " ").strip());
			current.setLength(0);
		}
		return instructions;
	}

}
