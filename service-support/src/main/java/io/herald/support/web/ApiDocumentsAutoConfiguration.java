package io.herald.support.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Serves the service's OpenAPI and AsyncAPI documents from its class path, as YAML and as
 * JSON ({@link ApiDescriptionController}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public final class ApiDocumentsAutoConfiguration {

	@Bean
	ApiDescriptionController apiDescriptionController() {
		return new ApiDescriptionController();
	}

}
