package io.herald.routing.system;

import io.herald.events.Channel;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.kafka.TopicRetention;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Declares every non-internal topic the routing service reads or writes, so that it runs
 * against a broker that never creates topics implicitly. Topics also declared by other
 * services ({@code herald.events}, {@code herald.events.critical}, {@code herald.status},
 * {@code herald.templates}) are declared with the same settings; the admin client only
 * creates topics that are missing.
 *
 * <p>
 * {@code herald.user-commands} must have exactly {@code herald.kafka.partitions}
 * partitions: the topology's repartition topics have that many, and a user's state and
 * events meet on the same partition number. {@code herald.template-commands} may have any
 * number: the template fold is a sub-topology of its own.
 */
@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

	@Bean
	KafkaAdmin.NewTopics routingTopics(KafkaTopicsProperties properties) {
		List<NewTopic> topics = new ArrayList<>();
		topics.add(topic(Topics.USER_COMMANDS.name(), TopicRetention.USER_COMMANDS, properties));
		topics.add(topic(Topics.deadLetter(Topics.USER_COMMANDS.name()), TopicRetention.DEAD_LETTERS, properties));
		topics.add(topic(Topics.EVENTS.name(), TopicRetention.EVENTS, properties));
		topics.add(topic(Topics.deadLetter(Topics.EVENTS.name()), TopicRetention.DEAD_LETTERS, properties));
		topics.add(topic(Topics.CRITICAL_EVENTS.name(), TopicRetention.EVENTS, properties));
		topics.add(topic(Topics.deadLetter(Topics.CRITICAL_EVENTS.name()), TopicRetention.DEAD_LETTERS, properties));
		topics.add(topic(Topics.STATUS.name(), TopicRetention.STATUS, properties));
		topics.add(properties.newCompactedTopic(Topics.TEMPLATES.name()));
		topics.add(properties.newCompactedTopic(Topics.DIGEST_SETTINGS.name()));
		topics.add(topic(Topics.TEMPLATE_COMMANDS.name(), TopicRetention.TEMPLATE_COMMANDS, properties));
		topics.add(topic(Topics.deadLetter(Topics.TEMPLATE_COMMANDS.name()), TopicRetention.DEAD_LETTERS, properties));
		for (Channel channel : Channel.values()) {
			for (Topic<?> lane : Topics.deliveryLanes(channel)) {
				topics.add(topic(lane.name(), TopicRetention.DELIVERY, properties));
			}
		}
		return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
	}

	private static NewTopic topic(String name, Duration retention, KafkaTopicsProperties properties) {
		return properties.newTopic(name, retention);
	}

}
