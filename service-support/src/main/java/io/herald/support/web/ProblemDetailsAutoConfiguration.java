package io.herald.support.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The error catalogue as RFC 9457 problem details: the {@link ProblemWriter} that filters
 * answer with before Spring MVC is involved, and the {@link ApiExceptionHandler} that
 * turns every failure of a handler, Spring MVC's own included, into a problem of the
 * {@link ErrorCode} catalogue. Ordered before Spring MVC's auto-configuration, so that
 * Spring Boot's problem-details handler backs off; a service that declares a
 * {@link ResponseEntityExceptionHandler} of its own keeps it.
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class, before = WebMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public final class ProblemDetailsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ProblemWriter problemWriter(JsonMapper mapper) {
		return new ProblemWriter(mapper);
	}

	@Bean
	@ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
	ApiExceptionHandler apiExceptionHandler() {
		return new ApiExceptionHandler();
	}

}
