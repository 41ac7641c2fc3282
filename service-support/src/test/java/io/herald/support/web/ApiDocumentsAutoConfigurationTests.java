package io.herald.support.web;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ApiDocumentsAutoConfigurationTests {

	@Test
	void servesTheApiDocuments() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(ApiDocumentsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(ApiDescriptionController.class));
	}

	@Test
	void outsideAServletApplicationNothing() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ApiDocumentsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ApiDescriptionController.class));
	}

}
