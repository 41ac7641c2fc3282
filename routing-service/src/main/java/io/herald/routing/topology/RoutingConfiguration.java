package io.herald.routing.topology;

import io.herald.events.Topics;
import io.herald.routing.digest.DigestSettings;
import io.herald.routing.ratelimit.RateLimitProperties;
import io.herald.routing.template.TemplateRenderer;
import io.herald.support.kafka.KafkaInstanceProperties;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs the routing topology twice, as two Kafka Streams applications in Spring Kafka's
 * {@code StreamsBuilderFactoryBean}s (docs/adr/014):
 * <ul>
 * <li>{@value #MAIN}: {@code herald.events}, every priority but critical, configured by
 * Spring Boot from {@code spring.kafka.streams.*} (application id
 * {@code herald-routing});</li>
 * <li>{@value #CRITICAL}: {@code herald.events.critical}, with the same settings but the
 * application id {@code <spring.kafka.streams.application-id>-critical} and
 * {@code herald.routing.critical-threads} stream threads. Its consumer group, tasks,
 * threads, stores, changelogs and repartition topics are its own; Kafka Streams keeps its
 * state under {@code <state-dir>/<application id>}, apart from the other's.</li>
 * </ul>
 * Only the first is a default candidate for injection by type (the user API's interactive
 * queries read its stores); the critical one is injected by name. Every
 * {@link StreamsBuilderFactoryBeanConfigurer} applies to both, among them Spring Boot's,
 * which binds Kafka Streams' metrics to Micrometer
 * ({@code KafkaStreamsMicrometerListener}, tagged with the factory's bean name) whenever
 * a {@code MeterRegistry} exists.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class RoutingConfiguration {

	/** The bean name of the application that routes {@code herald.events}. */
	static final String MAIN = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_BUILDER_BEAN_NAME;

	/** The bean name of the application that routes {@code herald.events.critical}. */
	static final String CRITICAL = "criticalKafkaStreamsBuilder";

	/** What the critical application's id adds to the main one's. */
	static final String CRITICAL_SUFFIX = "-critical";

	/**
	 * Leave the consumer group when the service stops, so that the users this instance
	 * owned move to another instance at once instead of after the session timeout.
	 */
	@Bean
	StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
		return (factoryBean) -> factoryBean.setLeaveGroupOnClose(true);
	}

	/**
	 * With {@code herald.kafka.instance-id}, both applications' stream threads are static
	 * members of their groups: an instance that restarts under the same name gets its
	 * tasks back at once instead of after the session timeout. Kafka Streams suffixes the
	 * id per thread. At a clean stop, the instance still leaves
	 * ({@link #leaveGroupOnClose()}).
	 */
	@Bean
	StreamsBuilderFactoryBeanConfigurer staticStreamThreads(KafkaInstanceProperties instance) {
		return (factoryBean) -> {
			if (instance.isStatic()) {
				factoryBean.setStreamsConfiguration(instance.withInstanceId(factoryBean.getStreamsConfiguration()));
			}
		};
	}

	/**
	 * Replace a stream thread that an exception killed, up to 10 times in 5 minutes; then
	 * shut Kafka Streams down so that liveness fails and the instance is restarted. Each
	 * application counts its own deaths.
	 */
	@Bean
	StreamsBuilderFactoryBeanConfigurer replaceDeadStreamThreads(MeterRegistry registry) {
		return (factoryBean) -> factoryBean.setStreamsUncaughtExceptionHandler(new StreamThreadRecovery(registry,
				applicationId(factoryBean), 10, Duration.ofMinutes(5), Clock.systemUTC()));
	}

	/**
	 * The application of {@code herald.events.critical}: the main application's settings,
	 * its own application id (hence consumer group, internal topics and state directory)
	 * and threads.
	 */
	@Bean(name = CRITICAL, defaultCandidate = false)
	StreamsBuilderFactoryBean criticalKafkaStreamsBuilder(
			@Qualifier(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME) KafkaStreamsConfiguration main,
			RoutingProperties properties, ObjectProvider<StreamsBuilderFactoryBeanConfigurer> configurers) {
		StreamsBuilderFactoryBean factoryBean = new StreamsBuilderFactoryBean(
				new KafkaStreamsConfiguration(criticalSettings(main.asProperties(), properties)));
		configurers.orderedStream().forEach((configurer) -> configurer.configure(factoryBean));
		return factoryBean;
	}

	static Map<String, Object> criticalSettings(Properties main, RoutingProperties properties) {
		Map<String, Object> settings = new HashMap<>();
		main.forEach((name, value) -> settings.put(String.valueOf(name), value));
		settings.put(StreamsConfig.APPLICATION_ID_CONFIG,
				main.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + CRITICAL_SUFFIX);
		settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.criticalThreads());
		return settings;
	}

	@Bean
	RoutingMetrics routingMetrics(MeterRegistry registry,
			@Qualifier(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME) KafkaStreamsConfiguration main) {
		return new RoutingMetrics(registry, main.asProperties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
	}

	@Bean
	RoutingTopology routingTopology(StreamsBuilder streamsBuilder, KafkaTopicsProperties topics,
			RoutingProperties properties, RateLimitProperties rateLimits, TemplateRenderer templates,
			DigestSettings digests, RoutingMetrics metrics, RecordTracing tracing) {
		RoutingTopology topology = new RoutingTopology(Topics.EVENTS, topics.partitions(), properties, rateLimits,
				templates, digests, metrics, tracing);
		topology.build(streamsBuilder);
		return topology;
	}

	/** Critical events are never digested (docs/adr/036). */
	@Bean
	RoutingTopology criticalRoutingTopology(@Qualifier(CRITICAL) StreamsBuilder streamsBuilder,
			@Qualifier(CRITICAL) StreamsBuilderFactoryBean factoryBean, KafkaTopicsProperties topics,
			RoutingProperties properties, RateLimitProperties rateLimits, TemplateRenderer templates,
			MeterRegistry registry, RecordTracing tracing) {
		RoutingTopology topology = new RoutingTopology(Topics.CRITICAL_EVENTS, topics.partitions(), properties,
				rateLimits, templates, new RoutingMetrics(registry, applicationId(factoryBean)), tracing);
		topology.build(streamsBuilder);
		return topology;
	}

	/** Readiness ({@code kafkaStreams}): both applications. */
	@Bean("kafkaStreams")
	KafkaStreamsHealthIndicator kafkaStreamsHealthIndicator(@Qualifier(MAIN) StreamsBuilderFactoryBean main,
			@Qualifier(CRITICAL) StreamsBuilderFactoryBean critical) {
		return new KafkaStreamsHealthIndicator(List.of(main, critical));
	}

	/** Liveness ({@code kafkaStreamsLiveness}): both applications. */
	@Bean("kafkaStreamsLiveness")
	KafkaStreamsLivenessIndicator kafkaStreamsLivenessIndicator(@Qualifier(MAIN) StreamsBuilderFactoryBean main,
			@Qualifier(CRITICAL) StreamsBuilderFactoryBean critical) {
		return new KafkaStreamsLivenessIndicator(List.of(main, critical));
	}

	/** The application id of a factory's Kafka Streams. */
	static String applicationId(StreamsBuilderFactoryBean factoryBean) {
		Properties settings = factoryBean.getStreamsConfiguration();
		return (settings != null) ? settings.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) : "unknown";
	}

}
