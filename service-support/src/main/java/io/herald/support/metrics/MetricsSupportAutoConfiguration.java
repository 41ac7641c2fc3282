package io.herald.support.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The meters every stage shares, on the service's {@link MeterRegistry}: the notification
 * {@link Funnel}, and the lag of the service's consumer groups ({@link ConsumerLag}, when
 * the service talks to Kafka and names its groups in
 * {@code herald.metrics.consumer-lag.groups}).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@EnableConfigurationProperties(ConsumerLagProperties.class)
public final class MetricsSupportAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Funnel funnel(MeterRegistry registry) {
		return new Funnel(registry);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(KafkaAdmin.class)
	@ConditionalOnBean(KafkaAdmin.class)
	static class ConsumerLagConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConsumerLag consumerLag(ConsumerLagProperties properties, KafkaAdmin kafkaAdmin, MeterRegistry registry) {
			return new ConsumerLag(properties, kafkaAdmin, registry);
		}

	}

}
