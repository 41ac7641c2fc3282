package io.herald.support.apikey;

import io.herald.support.web.ProblemDetailsAutoConfiguration;
import io.herald.support.web.ProblemWriter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * API keys: the configured keys ({@code herald.api-keys}) as an {@link ApiKeyRegistry},
 * and, in a servlet application, the {@link ApiKeyFilter} that authenticates every API
 * request by its key. A service whose callers carry no API keys turns the filter off with
 * {@code herald.web.api-key-authentication=false}.
 */
@AutoConfiguration(after = ProblemDetailsAutoConfiguration.class)
@EnableConfigurationProperties(ApiKeyProperties.class)
public final class ApiKeyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ApiKeyRegistry apiKeyRegistry(ApiKeyProperties properties) {
		return new ApiKeyRegistry(properties);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnBooleanProperty(name = "herald.web.api-key-authentication", matchIfMissing = true)
	static class ApiKeyFilterConfiguration {

		@Bean
		ApiKeyFilter apiKeyFilter(ApiKeyRegistry registry, ProblemWriter problems) {
			return new ApiKeyFilter(registry, problems);
		}

	}

}
