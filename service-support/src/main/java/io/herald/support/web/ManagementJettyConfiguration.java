package io.herald.support.web;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * An actuator on a port of its own runs a Jetty server of its own, made in the management
 * context from a factory that the application context's {@link JettyServerCustomizer}
 * beans do not reach: it reads every header field as sent too
 * ({@link JettyRefusalsConfiguration#exactHeaderFields}), so an operator token altered in
 * the case of a letter is never taken for the token sent before it on the connection.
 * Listed in
 * {@code META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports}.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ JettyServerCustomizer.class, HttpConnectionFactory.class })
class ManagementJettyConfiguration {

	@Bean
	WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> exactManagementHeaderFields() {
		return (factory) -> factory.addServerCustomizers((server) -> {
			for (Connector connector : server.getConnectors()) {
				JettyRefusalsConfiguration.exactHeaderFields(connector);
			}
		});
	}

}
