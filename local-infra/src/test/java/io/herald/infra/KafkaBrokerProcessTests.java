package io.herald.infra;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command a broker process starts with; {@link KafkaBrokerProcessIntegrationTests}
 * runs it.
 */
class KafkaBrokerProcessTests {

	private static final List<String> OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

	@Test
	void aBrokersJvmStartsWithItsHeapAndTheGivenOptionsBeforeItsClassPath(@TempDir Path data) {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder()
			.logDirectory(data.resolve("data"))
			.outputFile(data.resolve("kafka-broker.log"))
			.jvmOptions(OPTIONS)
			.build()) {
			List<String> command = kafka.command();

			assertThat(command.subList(1, 4)).containsExactly(KafkaBrokerProcess.MAX_HEAP, OPTIONS.get(0),
					OPTIONS.get(1));
			assertThat(command.indexOf("-cp")).isGreaterThan(3);
		}
	}

	@Test
	void aBrokerWithoutOptionsStartsWithItsHeapAlone(@TempDir Path data) {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder()
			.logDirectory(data.resolve("data"))
			.outputFile(data.resolve("kafka-broker.log"))
			.build()) {
			assertThat(kafka.command()).doesNotContain(OPTIONS.get(0), OPTIONS.get(1))
				.contains(KafkaBrokerProcess.MAX_HEAP);
		}
	}

	@Test
	void everyNodeOfAClusterStartsWithTheClustersOptions(@TempDir Path data) {
		try (KafkaClusterProcess cluster = KafkaClusterProcess.builder()
			.dataDirectory(data.resolve("data"))
			.outputDirectory(data)
			.jvmOptions(OPTIONS)
			.build()) {
			assertThat(cluster.nodes()).hasSize(3)
				.allSatisfy((node) -> assertThat(node.command()).containsSequence(OPTIONS));
		}
	}

}
