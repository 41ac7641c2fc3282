package io.herald.routing.template.store;

import io.herald.management.InternalEndpoint;
import io.herald.routing.query.InternalApiProperties;
import io.herald.routing.template.TemplateProperties;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.apache.kafka.streams.StreamsBuilder;

import java.time.Duration;

/**
 * The template fold, built into the main routing application only (the critical one
 * routes with the templates it publishes, but must not apply a command a second time),
 * the reads of its stores, and their internal endpoint on the management port.
 */
@Configuration(proxyBeanMethods = false)
class TemplateStoreConfiguration {

	/**
	 * How long a read forwarded to the instance that owns a tenant's templates may take.
	 */
	private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(2);

	@Bean
	TemplateTopology templateTopology(
			@Qualifier(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_BUILDER_BEAN_NAME) StreamsBuilder streamsBuilder,
			TemplateProperties properties, RecordTracing tracing) {
		TemplateTopology topology = new TemplateTopology(properties.maxPerTenant(), properties.maxVersions(), tracing);
		topology.build(streamsBuilder);
		return topology;
	}

	@Bean
	TemplateStateQueries templateStateQueries(
			@Qualifier(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_BUILDER_BEAN_NAME) ObjectProvider<StreamsBuilderFactoryBean> streams,
			InternalApiProperties internal, MeterRegistry registry) {
		return new TemplateStateQueries(streams, internal.internalToken(), FORWARD_TIMEOUT, registry);
	}

	@Bean
	TemplateStateEndpoint templateStateEndpoint(TemplateStateQueries queries) {
		return new TemplateStateEndpoint(queries);
	}

	/**
	 * Lets only requests with the instances' shared token reach
	 * {@link TemplateStateEndpoint}.
	 */
	@Bean
	InternalEndpoint templateStateInternalEndpoint(InternalApiProperties properties) {
		return new InternalEndpoint(TemplateStateEndpoint.ID, properties.internalToken());
	}

}
