package io.herald.support.web;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The filters every API request passes besides authentication, the firewall and the body
 * limit: {@link AcceptFilter} answers {@code 406} before a handler acts for a caller that
 * accepts none of the API's types, and {@link InFlightRequestsFilter} counts the requests
 * in progress (with a {@link MeterRegistry}). Both leave the {@link PublicPaths} alone.
 */
@AutoConfiguration(after = ProblemDetailsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public final class ApiFiltersAutoConfiguration {

	@Bean
	AcceptFilter acceptFilter(ProblemWriter problems) {
		return new AcceptFilter(problems);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(MeterRegistry.class)
	static class InFlightRequestsConfiguration {

		@Bean
		InFlightRequestsFilter inFlightRequestsFilter(MeterRegistry registry) {
			return new InFlightRequestsFilter(registry);
		}

	}

}
