package io.herald.support.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ApiFiltersAutoConfigurationTests {

	private final WebApplicationContextRunner contexts = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ProblemDetailsAutoConfiguration.class,
				ApiFiltersAutoConfiguration.class));

	@Test
	void checksAcceptAndCountsRequestsInProgress() {
		this.contexts.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(AcceptFilter.class).hasSingleBean(InFlightRequestsFilter.class);
			assertThat(context.getBean(MeterRegistry.class).find("herald.http.requests.inflight").gauge()).isNotNull();
		});
	}

	@Test
	void withoutAMeterRegistryNoCount() {
		this.contexts.run((context) -> assertThat(context).hasSingleBean(AcceptFilter.class)
			.doesNotHaveBean(InFlightRequestsFilter.class));
	}

	@Test
	void outsideAServletApplicationNothing() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ApiFiltersAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).doesNotHaveBean(ApiRequestFilter.class));
	}

}
