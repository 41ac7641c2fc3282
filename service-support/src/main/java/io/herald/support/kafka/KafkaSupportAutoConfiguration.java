package io.herald.support.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * What a Herald service's consumers and topics share: the settings of the topics it
 * creates ({@link KafkaTopicsProperties}), the listener containers' error handler, which
 * retries a failing batch without end ({@link KafkaErrorHandlers#retryingWithoutEnd()}),
 * and {@link DeadLetters} for the records a listener cannot process. A service that
 * declares a {@link CommonErrorHandler} of its own keeps it; Spring Boot's listener
 * container factory picks up whichever there is. With {@code herald.kafka.instance-id}
 * ({@link KafkaInstanceProperties}), the listener containers' consumers are static group
 * members.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties({ KafkaTopicsProperties.class, KafkaInstanceProperties.class })
public final class KafkaSupportAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(CommonErrorHandler.class)
	DefaultErrorHandler kafkaErrorHandler() {
		return KafkaErrorHandlers.retryingWithoutEnd();
	}

	/**
	 * Gives every listener container of Spring Boot's factory this instance's
	 * {@code group.instance.id}, which the container suffixes per consumer; nothing
	 * without {@code herald.kafka.instance-id}.
	 */
	@Bean
	ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> staticListenerContainers(
			KafkaInstanceProperties instance) {
		return (container) -> {
			if (instance.isStatic()) {
				ContainerProperties settings = container.getContainerProperties();
				settings.setKafkaConsumerProperties(instance.withInstanceId(settings.getKafkaConsumerProperties()));
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(KafkaTemplate.class)
	DeadLetters deadLetters(KafkaTemplate<String, byte[]> kafka) {
		return new DeadLetters(kafka);
	}

}
