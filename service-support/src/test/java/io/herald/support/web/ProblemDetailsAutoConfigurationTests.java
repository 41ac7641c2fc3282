package io.herald.support.web;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemDetailsAutoConfigurationTests {

	private final WebApplicationContextRunner contexts = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(JacksonAutoConfiguration.class, ProblemDetailsAutoConfiguration.class));

	@Test
	void contributesTheProblemWriterAndTheExceptionHandler() {
		this.contexts.run((context) -> assertThat(context).hasSingleBean(ProblemWriter.class)
			.hasSingleBean(ApiExceptionHandler.class));
	}

	@Test
	void springBootsProblemDetailsHandlerBacksOff() {
		this.contexts
			.withConfiguration(
					AutoConfigurations.of(DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class))
			.withPropertyValues("spring.mvc.problemdetails.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(WebMvcAutoConfiguration.class)
				.getBeans(ResponseEntityExceptionHandler.class)
				.hasSize(1)
				.allSatisfy((name, handler) -> assertThat(handler).isInstanceOf(ApiExceptionHandler.class)));
	}

	@Test
	void anExceptionHandlerOfTheServiceWins() {
		this.contexts.withBean(OwnHandler.class, OwnHandler::new)
			.run((context) -> assertThat(context).hasSingleBean(ResponseEntityExceptionHandler.class)
				.doesNotHaveBean(ApiExceptionHandler.class));
	}

	@Test
	void aProblemWriterOfTheServiceWins() {
		ProblemWriter own = new ProblemWriter(JsonMapper.builder().build());
		this.contexts.withBean(ProblemWriter.class, () -> own)
			.run((context) -> assertThat(context).getBean(ProblemWriter.class).isSameAs(own));
	}

	@Test
	void outsideAServletApplicationNothing() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(JacksonAutoConfiguration.class, ProblemDetailsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ProblemWriter.class)
				.doesNotHaveBean(ResponseEntityExceptionHandler.class));
	}

	static class OwnHandler extends ResponseEntityExceptionHandler {

	}

}
