package io.herald.ingestion.system;

import io.herald.events.Topics;
import io.herald.ingestion.ingest.IngestionProperties;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.web.BodyLimitFilter;
import io.herald.support.web.ProblemWriter;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import java.time.Clock;
import java.time.Duration;

/** The clock, the topics this service writes, and how consumers react to failures. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	/** How long the event log keeps accepted events: the window for replaying into routing. */
	private static final Duration EVENTS_RETENTION = Duration.ofDays(7);

	/** How long the status topic keeps records: the status view is rebuilt from it after a loss. */
	private static final Duration STATUS_RETENTION = Duration.ofDays(7);

	/** How long dead letters are kept for an operator to inspect and replay. */
	private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

	/** Bodies of {@code POST /v1/events:batch} may be larger than those of single events. */
	@Bean
	BodyLimitFilter bodyLimitFilter(IngestionProperties properties, ProblemWriter problems) {
		long event = properties.maxEventBody().toBytes();
		long batch = properties.maxBatchBody().toBytes();
		return new BodyLimitFilter((request) -> "/v1/events:batch".equals(request.getRequestURI()) ? batch : event,
				problems);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	KafkaAdmin.NewTopics heraldTopics(KafkaTopicsProperties properties) {
		return new KafkaAdmin.NewTopics(topic(Topics.EVENTS.name(), EVENTS_RETENTION, properties),
				topic(Topics.deadLetter(Topics.EVENTS.name()), DEAD_LETTER_RETENTION, properties),
				topic(Topics.STATUS.name(), STATUS_RETENTION, properties),
				topic(Topics.deadLetter(Topics.STATUS.name()), DEAD_LETTER_RETENTION, properties));
	}

	/**
	 * Retries a failing batch (Redis down, say) with growing pauses, without end: the status view
	 * must not skip records. Records that cannot be decoded never get here: the listener
	 * dead-letters them itself.
	 */
	@Bean
	CommonErrorHandler kafkaErrorHandler() {
		ExponentialBackOff backOff = new ExponentialBackOff(100, 2);
		backOff.setMaxInterval(5_000);
		return new DefaultErrorHandler(backOff);
	}

	private static NewTopic topic(String name, Duration retention, KafkaTopicsProperties properties) {
		return properties.newTopic(name, retention);
	}

}
