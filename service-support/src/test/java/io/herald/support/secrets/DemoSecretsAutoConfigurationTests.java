package io.herald.support.secrets;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class DemoSecretsAutoConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DemoSecretsAutoConfiguration.class));

	@Test
	void refusesToStartWithTheDemoApiKey() {
		this.contexts.withPropertyValues("herald.api-keys[0].sha256=" + DemoSecretsGuard.DEMO_API_KEY_SHA256)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("herald.api-keys[0].sha256"));
	}

	@Test
	void startsWithTheDemoApiKeyAsTheLocalStack() {
		this.contexts
			.withPropertyValues("herald.api-keys[0].sha256=" + DemoSecretsGuard.DEMO_API_KEY_SHA256,
					"spring.profiles.active=" + DemoSecretsGuard.LOCAL_PROFILE)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startsWithAKeyOfItsOwn() {
		this.contexts.withPropertyValues("herald.api-keys[0].sha256=" + "0".repeat(64))
			.run((context) -> assertThat(context).hasNotFailed());
	}

}
