package io.herald.routing.query;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class InternalApiPropertiesTests {

	private static final String INTERNAL = "3f1c9a7e5b2d4c6e8f0a1b3c5d7e9f1a";

	private static final String PREFERENCES = "9b8a7c6d5e4f30211f2e3d4c5b6a7980";

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

	@Test
	void withoutAPreferencesTokenThePreferencesEndpointTakesTheInternalTokenAsBefore() {
		this.runner.withPropertyValues("herald.routing.internal-token=" + INTERNAL).run((context) -> {
			InternalApiProperties properties = context.getBean(InternalApiProperties.class);
			assertThat(properties.preferencesToken()).isNull();
			assertThat(properties.preferencesEndpointToken()).isEqualTo(INTERNAL);
		});
	}

	@Test
	void aPreferencesTokenIsThePreferencesEndpointsOnlyToken() {
		this.runner
			.withPropertyValues("herald.routing.internal-token=" + INTERNAL,
					"herald.routing.preferences-token=" + PREFERENCES)
			.run((context) -> {
				InternalApiProperties properties = context.getBean(InternalApiProperties.class);
				assertThat(properties.internalToken()).isEqualTo(INTERNAL);
				assertThat(properties.preferencesEndpointToken()).isEqualTo(PREFERENCES);
			});
		this.runner.withPropertyValues("herald.routing.preferences-token=" + PREFERENCES)
			.run((context) -> assertThat(context.getBean(InternalApiProperties.class).preferencesEndpointToken())
				.as("a single instance serving only the gateway")
				.isEqualTo(PREFERENCES));
	}

	@Test
	void aPreferencesTokenEqualToTheInternalTokenOrAPlaceholderStopsTheServiceAtStart() {
		this.runner
			.withPropertyValues("herald.routing.internal-token=" + INTERNAL,
					"herald.routing.preferences-token=" + INTERNAL)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("HERALD_ROUTING_PREFERENCESTOKEN")
				.hasMessageContaining("must differ"));
		this.runner.withPropertyValues("herald.routing.preferences-token=CHANGE-ME")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("HERALD_ROUTING_PREFERENCESTOKEN")
				.hasMessageContaining("placeholder"));
		this.runner.withPropertyValues("herald.routing.preferences-token=short-but-random-7f3a")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("at least 32 characters"));
	}

	@EnableConfigurationProperties(InternalApiProperties.class)
	static class Properties {

	}

}
