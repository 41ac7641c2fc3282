package io.herald.routing.topology;

import io.herald.routing.dedup.RateLimitProperties;
import io.herald.routing.template.TemplateRenderer;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

import java.time.Clock;
import java.time.Duration;

/**
 * Runs the routing topology in Spring Kafka's {@code StreamsBuilderFactoryBean}, which Spring Boot
 * configures from {@code spring.kafka.streams.*} and starts with the application. Spring Boot also
 * binds Kafka Streams' metrics to Micrometer: its {@code KafkaMetricsAutoConfiguration} adds a
 * {@code KafkaStreamsMicrometerListener} to the factory bean whenever a {@code MeterRegistry}
 * exists, so adding another here would bind every meter twice.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class RoutingConfiguration {

	/**
	 * Leave the consumer group when the service stops, so that the users this instance owned
	 * move to another instance at once instead of after the session timeout.
	 */
	@Bean
	StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
		return (factoryBean) -> factoryBean.setLeaveGroupOnClose(true);
	}

	/**
	 * Replace a stream thread that an exception killed, up to 10 times in 5 minutes; then shut
	 * Kafka Streams down so that liveness fails and the instance is restarted.
	 */
	@Bean
	StreamsBuilderFactoryBeanConfigurer replaceDeadStreamThreads(MeterRegistry registry) {
		StreamThreadRecovery recovery = new StreamThreadRecovery(registry, 10, Duration.ofMinutes(5),
				Clock.systemUTC());
		return (factoryBean) -> factoryBean.setStreamsUncaughtExceptionHandler(recovery);
	}

	@Bean
	RoutingMetrics routingMetrics(MeterRegistry registry) {
		return new RoutingMetrics(registry);
	}

	@Bean
	RoutingTopology routingTopology(StreamsBuilder streamsBuilder, KafkaTopicsProperties topics,
			RoutingProperties properties, RateLimitProperties rateLimits, TemplateRenderer templates,
			RoutingMetrics metrics, RecordTracing tracing) {
		RoutingTopology topology = new RoutingTopology(topics.partitions(), properties, rateLimits, templates,
				metrics, tracing);
		topology.build(streamsBuilder);
		return topology;
	}

}
