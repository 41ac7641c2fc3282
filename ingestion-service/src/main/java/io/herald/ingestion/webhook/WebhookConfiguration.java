package io.herald.ingestion.webhook;

import io.herald.events.Topics;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.kafka.TopicRetention;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The webhook topics, the HTTP client of the calls and their retry schedule. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

	/**
	 * {@code herald.webhooks}, its retry topics and its dead-letter topic, kept as long
	 * as the delivery lanes: calls are deliveries to tenants.
	 */
	@Bean
	KafkaAdmin.NewTopics webhookTopics(KafkaTopicsProperties topics, WebhookProperties properties) {
		List<NewTopic> all = new ArrayList<>();
		all.add(topics.newTopic(Topics.WEBHOOKS.name(), TopicRetention.DELIVERY));
		for (String retry : retryTopics(properties)) {
			all.add(topics.newTopic(retry, TopicRetention.DELIVERY));
		}
		all.add(topics.newTopic(Topics.deadLetter(Topics.WEBHOOKS.name()), TopicRetention.DEAD_LETTERS));
		return new KafkaAdmin.NewTopics(all.toArray(NewTopic[]::new));
	}

	@Bean
	WebhookClient webhookClient(WebhookProperties properties, Clock clock) {
		return new WebhookClient(properties, clock);
	}

	@Bean
	RetrySchedule webhookRetrySchedule(WebhookProperties properties, Clock clock) {
		return new RetrySchedule(properties, clock, () -> ThreadLocalRandom.current().nextDouble());
	}

	static List<String> retryTopics(WebhookProperties properties) {
		List<String> topics = new ArrayList<>();
		for (int level = 1; level <= properties.levels(); level++) {
			topics.add(Topics.retry(Topics.WEBHOOKS.name(), level));
		}
		return topics;
	}

}
