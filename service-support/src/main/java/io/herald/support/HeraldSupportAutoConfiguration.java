package io.herald.support;

import io.herald.support.apikey.ApiKeyProperties;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.metrics.ConsumerLagProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;

/**
 * Gives a Herald service its shared API pieces: API-key authentication, the problem-detail
 * error handling, dead-lettering, and their settings.
 */
@AutoConfiguration
@ComponentScan
@EnableConfigurationProperties({ ApiKeyProperties.class, KafkaTopicsProperties.class,
		ConsumerLagProperties.class })
public class HeraldSupportAutoConfiguration {

}
