package io.herald.support;

import io.herald.support.apikey.ApiKeyProperties;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.metrics.ConsumerLagProperties;
import io.herald.support.secrets.DemoSecretsGuard;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.core.env.Environment;

/**
 * Gives a Herald service its shared API pieces: API-key authentication, the problem-detail
 * error handling, dead-lettering, and their settings; and the refusal to start with a demo
 * credential outside the local stack.
 */
@AutoConfiguration
@ComponentScan
@EnableConfigurationProperties({ ApiKeyProperties.class, KafkaTopicsProperties.class,
		ConsumerLagProperties.class })
public class HeraldSupportAutoConfiguration {

	/** Stops the service at start when it holds a demo credential outside the local stack. */
	@Bean
	InitializingBean demoSecretsGuard(Environment environment) {
		return () -> DemoSecretsGuard.check(environment);
	}

}
