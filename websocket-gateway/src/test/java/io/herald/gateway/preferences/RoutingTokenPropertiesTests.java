package io.herald.gateway.preferences;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTokenPropertiesTests {

	private static final String INTERNAL = "3f1c9a7e5b2d4c6e8f0a1b3c5d7e9f1a";

	private static final String PREFERENCES = "9b8a7c6d5e4f30211f2e3d4c5b6a7980";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class);

	@Test
	void thePreferencesTokenIsSentWhenSet() {
		this.runner
			.withPropertyValues("herald.routing.preferences-token=" + PREFERENCES,
					"herald.routing.internal-token=" + INTERNAL)
			.run((context) -> {
				RoutingTokenProperties token = context.getBean(RoutingTokenProperties.class);
				assertThat(token.token()).isEqualTo(PREFERENCES);
				assertThat(token.fallsBackToInternalToken()).isFalse();
			});
	}

	@Test
	void withOnlyTheInternalTokenTheGatewaySendsItAsBefore() {
		this.runner.withPropertyValues("herald.routing.internal-token=" + INTERNAL).run((context) -> {
			RoutingTokenProperties token = context.getBean(RoutingTokenProperties.class);
			assertThat(token.token()).isEqualTo(INTERNAL);
			assertThat(token.fallsBackToInternalToken()).isTrue();
		});
	}

	@Test
	void withoutATokenNothingIsSent() {
		this.runner.run((context) -> assertThat(context.getBean(RoutingTokenProperties.class).token()).isNull());
	}

	@Test
	void placeholderBlankOrShortPreferencesTokensStopTheGatewayAtStart() {
		for (String bad : new String[] { "CHANGE-ME", " ", "short-but-random-7f3a" }) {
			this.runner.withPropertyValues("herald.routing.preferences-token=" + bad)
				.run((context) -> assertThat(context.getStartupFailure()).as(bad)
					.rootCause()
					.hasMessageContaining("HERALD_ROUTING_PREFERENCESTOKEN"));
		}
	}

	@EnableConfigurationProperties(RoutingTokenProperties.class)
	static class Properties {

	}

}
