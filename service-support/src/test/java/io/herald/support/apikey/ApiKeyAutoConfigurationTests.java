package io.herald.support.apikey;

import java.util.List;

import io.herald.support.web.ProblemDetailsAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyAutoConfigurationTests {

	private static final String[] ONE_KEY = { "herald.api-keys[0].tenant=acme", "herald.api-keys[0].name=backend",
			"herald.api-keys[0].sha256=" + ApiKeyRegistry.sha256("acme-secret") };

	private final WebApplicationContextRunner contexts = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ProblemDetailsAutoConfiguration.class,
				ApiKeyAutoConfiguration.class));

	@Test
	void recognisesTheConfiguredKeysAndAuthenticatesApiRequests() {
		this.contexts.withPropertyValues(ONE_KEY).run((context) -> {
			assertThat(context).hasSingleBean(ApiKeyFilter.class);
			ApiKey key = context.getBean(ApiKeyRegistry.class).find("acme-secret");
			assertThat(key).isNotNull();
			assertThat(key.tenant()).isEqualTo("acme");
			assertThat(context.getBean(ApiKeyRegistry.class).find("other-secret")).isNull();
		});
	}

	@Test
	void aServiceWithoutApiClientsTurnsTheFilterOff() {
		this.contexts.withPropertyValues("herald.web.api-key-authentication=false")
			.run((context) -> assertThat(context).hasSingleBean(ApiKeyRegistry.class)
				.doesNotHaveBean(ApiKeyFilter.class));
	}

	@Test
	void aRegistryOfTheServiceWins() {
		ApiKeyRegistry own = new ApiKeyRegistry(new ApiKeyProperties(List.of()));
		this.contexts.withPropertyValues(ONE_KEY)
			.withBean(ApiKeyRegistry.class, () -> own)
			.run((context) -> assertThat(context).getBean(ApiKeyRegistry.class).isSameAs(own));
	}

	@Test
	void outsideAServletApplicationNoFilter() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ApiKeyAutoConfiguration.class))
			.withPropertyValues(ONE_KEY)
			.run((context) -> assertThat(context).hasSingleBean(ApiKeyRegistry.class)
				.doesNotHaveBean(ApiKeyFilter.class));
	}

	@Test
	void refusesToStartWithAMalformedKeyHash() {
		this.contexts
			.withPropertyValues("herald.api-keys[0].tenant=acme", "herald.api-keys[0].name=backend",
					"herald.api-keys[0].sha256=acme-secret")
			.run((context) -> assertThat(context).hasFailed());
	}

}
