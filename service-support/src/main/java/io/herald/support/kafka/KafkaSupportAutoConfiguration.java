package io.herald.support.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * What a Herald service's consumers and topics share: the settings of the topics it
 * creates ({@link KafkaTopicsProperties}), the listener containers' error handler, which
 * retries a failing batch without end ({@link KafkaErrorHandlers#retryingWithoutEnd()}),
 * and {@link DeadLetters} for the records a listener cannot process. A service that
 * declares a {@link CommonErrorHandler} of its own keeps it; Spring Boot's listener
 * container factory picks up whichever there is.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties(KafkaTopicsProperties.class)
public final class KafkaSupportAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(CommonErrorHandler.class)
	DefaultErrorHandler kafkaErrorHandler() {
		return KafkaErrorHandlers.retryingWithoutEnd();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(KafkaTemplate.class)
	DeadLetters deadLetters(KafkaTemplate<String, byte[]> kafka) {
		return new DeadLetters(kafka);
	}

}
