package io.herald.routing.template;

import io.herald.events.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(TemplateConfiguration.class)
		.withBean(KafkaProperties.class)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@TempDir
	Path root;

	@Test
	void loadsThePackagedTemplatesWithoutADirectory() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(TemplateRenderer.class);
			assertThat(context.getBean(TemplateRenderer.class).contains("acme", "order-shipped")).isTrue();
		});
	}

	@Test
	void loadsTheTemplatesOfTheConfiguredDirectory() {
		TemplateTrees.write(this.root, "note/default.yml", "title: Hi {{name}}\nbody: Hello\n");
		this.contextRunner.withPropertyValues("herald.routing.templates.directory=" + this.root).run((context) -> {
			TemplateRenderer renderer = context.getBean(TemplateRenderer.class);
			assertThat(renderer.contains("acme", "order-shipped")).isFalse();
			assertThat(renderer.render("acme", "note", Channel.PUSH, null, Map.of("name", "Ada")).title())
				.isEqualTo("Hi Ada");
		});
	}

	@Test
	void brokenTemplateFailsTheStartWithFileAndLine() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: \"{{#open}}\"\n");
		this.contextRunner.withPropertyValues("herald.routing.templates.directory=" + this.root)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidTemplateException.class)
				.hasMessageStartingWith(file + ", line 2: invalid Mustache in 'body'"));
	}

}
