package io.herald.management;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ManagementAutoConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ManagementAutoConfiguration.class));

	@Test
	void bindsTheOperatorTokenHash() {
		this.contexts.withPropertyValues("herald.management.operator-token-sha256=" + "AB".repeat(32))
			.run((context) -> assertThat(context.getBean(ManagementProperties.class).operatorTokenSha256())
				.isEqualTo("ab".repeat(32)));
	}

	@Test
	void refusesToStartWithTheTokenInPlaceOfItsHash() {
		this.contexts.withPropertyValues("herald.management.operator-token-sha256=operator-token")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("not the token itself"));
	}

}
