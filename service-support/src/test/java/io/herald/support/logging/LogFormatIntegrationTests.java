package io.herald.support.logging;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application started with {@code HERALD_LOG_FORMAT=json}, as a service is,
 * writes each line as one JSON object, with the trace context that tracing keeps in the
 * MDC.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogFormatIntegrationTests {

	@Test
	void jsonLinesCarryTheServiceAndTheTraceIds(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
			.web(WebApplicationType.NONE)
			.properties("herald.log.format=json", "spring.application.name=herald-test-service")
			.run()) {
			MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
			MDC.put("spanId", "00f067aa0ba902b7");
			try {
				LoggerFactory.getLogger(LogFormatIntegrationTests.class).info("inside a span");
			}
			finally {
				MDC.remove("traceId");
				MDC.remove("spanId");
			}
		}
		JsonMapper json = JsonMapper.builder().build();
		List<JsonNode> lines = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map(json::readTree)
			.toList();
		assertThat(lines).isNotEmpty();
		JsonNode inSpan = lines.stream()
			.filter((line) -> line.path("message").asString().equals("inside a span"))
			.findFirst()
			.orElseThrow();
		assertThat(inSpan.path("service").path("name").asString()).isEqualTo("herald-test-service");
		assertThat(inSpan.path("log").path("level").asString()).isEqualTo("INFO");
		assertThat(inSpan.path("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(inSpan.path("spanId").asString()).isEqualTo("00f067aa0ba902b7");
		assertThat(output.getOut().lines().filter((line) -> !line.isBlank())).allMatch((line) -> line.startsWith("{"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
