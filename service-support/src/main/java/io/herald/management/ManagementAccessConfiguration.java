package io.herald.management;

import io.herald.support.web.ProblemWriter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Puts {@link ManagementAccessFilter} in front of the actuator, in the management context
 * when the actuator has a port of its own, in the application context otherwise. Listed
 * in
 * {@code META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports}.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ManagementAccessConfiguration {

	@Bean
	FilterRegistrationBean<ManagementAccessFilter> heraldManagementAccessFilter(ManagementProperties properties,
			WebEndpointProperties endpoints, ObjectProvider<InternalEndpoint> internalEndpoints,
			ProblemWriter problems) {
		FilterRegistrationBean<ManagementAccessFilter> registration = new FilterRegistrationBean<>(
				new ManagementAccessFilter(properties, endpoints.getBasePath(),
						internalEndpoints.orderedStream().toList(), problems));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
