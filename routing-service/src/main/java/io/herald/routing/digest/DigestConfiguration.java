package io.herald.routing.digest;

import io.herald.events.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The tenants' digest settings, followed from their topic. */
@Configuration(proxyBeanMethods = false)
class DigestConfiguration {

	@Bean
	DigestSettings digestSettings(KafkaProperties kafkaProperties) {
		return new DigestSettings(Topics.DIGEST_SETTINGS.name(), kafkaProperties.buildConsumerProperties());
	}

}
