package io.herald.routing.query;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class InternalApiPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class);

	@Test
	void withoutATokenTheServiceStartsWithForwardingOff() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(InternalApiProperties.class).internalToken()).isNull();
		});
	}

	@Test
	void aLongRandomTokenIsAccepted() {
		this.runner.withPropertyValues("herald.routing.internal-token=3f1c9a7e5b2d4c6e8f0a1b3c5d7e9f1a")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void placeholderTokensStopTheServiceAtStart() {
		for (String placeholder : new String[] { "CHANGE-ME", "changeme", "herald-internal", "compose-internal-token",
				"CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME" }) {
			this.runner.withPropertyValues("herald.routing.internal-token=" + placeholder).run((context) -> {
				assertThat(context).as(placeholder).hasFailed();
				assertThat(context.getStartupFailure()).as(placeholder)
					.rootCause()
					.hasMessageContaining("HERALD_ROUTING_INTERNALTOKEN")
					.hasMessageContaining("placeholder");
			});
		}
	}

	@Test
	void blankOrShortTokensStopTheServiceAtStart() {
		this.runner.withPropertyValues("herald.routing.internal-token= ")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("is blank"));
		this.runner.withPropertyValues("herald.routing.internal-token=short-but-random-7f3a")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("at least 32 characters"));
	}

	@EnableConfigurationProperties(InternalApiProperties.class)
	static class Properties {

	}

}
