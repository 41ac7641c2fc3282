package io.herald.support.logging;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LogFormatTests {

	@Test
	void jsonChoosesElasticCommonSchema() {
		assertThat(consoleFormatWith(Map.of(LogFormat.PROPERTY, "json"))).isEqualTo("ecs");
		assertThat(consoleFormatWith(Map.of(LogFormat.PROPERTY, " JSON "))).isEqualTo("ecs");
	}

	@Test
	void aStructuredFormatCanBeNamed() {
		assertThat(consoleFormatWith(Map.of(LogFormat.PROPERTY, "ecs"))).isEqualTo("ecs");
		assertThat(consoleFormatWith(Map.of(LogFormat.PROPERTY, "logstash"))).isEqualTo("logstash");
		assertThat(consoleFormatWith(Map.of(LogFormat.PROPERTY, "gelf"))).isEqualTo("gelf");
	}

	@Test
	void textOrNothingKeepsTheLines() {
		assertThat(consoleFormatWith(Map.of())).isNull();
		assertThat(consoleFormatWith(Map.of(LogFormat.PROPERTY, "text"))).isNull();
		assertThat(consoleFormatWith(Map.of(LogFormat.PROPERTY, ""))).isNull();
	}

	@Test
	void theOperatorsOwnStructuredFormatWins() {
		assertThat(consoleFormatWith(Map.of(LogFormat.PROPERTY, "json", LogFormat.CONSOLE_FORMAT, "logstash")))
			.isEqualTo("logstash");
	}

	@Test
	void anUnknownFormatStopsTheStartNamingTheChoices() {
		assertThatIllegalArgumentException().isThrownBy(() -> consoleFormatWith(Map.of(LogFormat.PROPERTY, "yaml")))
			.withMessage("HERALD_LOG_FORMAT is 'yaml'; use text (the default), json, ecs, logstash or gelf");
	}

	private static String consoleFormatWith(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		new LogFormat().postProcessEnvironment(environment, new SpringApplication());
		return environment.getProperty(LogFormat.CONSOLE_FORMAT);
	}

}
