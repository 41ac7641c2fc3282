package io.herald.ingestion.system;

import io.herald.events.Topics;
import io.herald.ingestion.idempotency.IdempotencyStore;
import io.herald.ingestion.ingest.IngestionProperties;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.kafka.TopicRetention;
import io.herald.support.web.ApiRequestFilter;
import io.herald.support.web.BodyLimitFilter;
import io.herald.support.web.ProblemWriter;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.core.KafkaAdmin;

import java.time.Clock;
import java.time.Duration;

/**
 * The topics this service writes, the body limits of its API, and the store of
 * idempotency keys. The clock and the consumers' error handler come from
 * {@code service-support}.
 */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	/**
	 * The largest body of the webhook API: a URL of at most 2,048 characters, the states
	 * and a short description fit many times over.
	 */
	static final long MAX_WEBHOOK_BODY = 8 * 1024;

	/**
	 * Bodies of {@code POST /v1/events:batch} may be larger than those of single events;
	 * those of the webhook API are much smaller.
	 */
	@Bean
	BodyLimitFilter bodyLimitFilter(IngestionProperties properties, ProblemWriter problems) {
		long event = properties.maxEventBody().toBytes();
		long batch = properties.maxBatchBody().toBytes();
		return new BodyLimitFilter((request) -> {
			String path = ApiRequestFilter.normalizedPath(request);
			if ("/v1/events:batch".equals(path)) {
				return batch;
			}
			return path.startsWith("/v1/webhooks") ? MAX_WEBHOOK_BODY : event;
		}, problems);
	}

	@Bean
	IdempotencyStore idempotencyStore(StringRedisTemplate redis, Clock clock, IngestionProperties properties) {
		return new IdempotencyStore(redis, clock, properties.idempotency());
	}

	@Bean
	KafkaAdmin.NewTopics heraldTopics(KafkaTopicsProperties properties) {
		return new KafkaAdmin.NewTopics(topic(Topics.EVENTS.name(), TopicRetention.EVENTS, properties),
				topic(Topics.deadLetter(Topics.EVENTS.name()), TopicRetention.DEAD_LETTERS, properties),
				topic(Topics.CRITICAL_EVENTS.name(), TopicRetention.EVENTS, properties),
				topic(Topics.deadLetter(Topics.CRITICAL_EVENTS.name()), TopicRetention.DEAD_LETTERS, properties),
				topic(Topics.STATUS.name(), TopicRetention.STATUS, properties),
				topic(Topics.deadLetter(Topics.STATUS.name()), TopicRetention.DEAD_LETTERS, properties),
				properties.newCompactedTopic(Topics.TEMPLATES.name()));
	}

	private static NewTopic topic(String name, Duration retention, KafkaTopicsProperties properties) {
		return properties.newTopic(name, retention);
	}

}
