package io.herald.gateway.preferences;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The way to routing's preferences. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ PreferencesProperties.class, RoutingTokenProperties.class })
class PreferencesConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(PreferencesConfiguration.class);

	@Bean(destroyMethod = "close")
	RoutingPreferences routingPreferences(PreferencesProperties properties, RoutingTokenProperties token,
			JsonMapper json) {
		RoutingPreferences routing = new RoutingPreferences(properties, token.token(), json);
		if (!routing.configured()) {
			logger.warn("GET and PUT {} answer 503: set HERALD_ROUTING_PREFERENCESTOKEN (the same as routing's) "
					+ "and herald.gateway.preferences.routing-url", PreferencesController.PATH);
		}
		else if (token.fallsBackToInternalToken()) {
			logger.info("Calling routing's preferences with its internal token, which also reads every user's state: "
					+ "give routing and the gateway HERALD_ROUTING_PREFERENCESTOKEN instead (docs/deployment.md)");
		}
		return routing;
	}

}
