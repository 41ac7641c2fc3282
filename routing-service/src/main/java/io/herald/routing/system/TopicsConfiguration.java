package io.herald.routing.system;

import io.herald.events.Channel;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.support.kafka.KafkaTopicsProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Declares every non-internal topic the routing service reads or writes, so that it runs against
 * a broker that never creates topics implicitly. Topics also declared by other services
 * ({@code herald.events}, {@code herald.status}) are declared with the same settings; the admin
 * client only creates topics that are missing.
 *
 * <p>{@code herald.user-commands} must have exactly {@code herald.kafka.partitions} partitions:
 * the topology's repartition topics have that many, and a user's state and events meet on the
 * same partition number.
 */
@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

	/** How long the event log keeps accepted events (as in ingestion). */
	private static final Duration EVENTS_RETENTION = Duration.ofDays(7);

	/** How long the status topic keeps records (as in ingestion). */
	private static final Duration STATUS_RETENTION = Duration.ofDays(7);

	/**
	 * How long user commands are kept: user state lives on in the topology's compacted changelog,
	 * so the commands are only needed to replay recent writes.
	 */
	private static final Duration USER_COMMANDS_RETENTION = Duration.ofDays(7);

	/** How long delivery requests wait for delivery workers: far beyond any outage worth waiting out. */
	private static final Duration DELIVERY_RETENTION = Duration.ofDays(3);

	/** How long dead letters are kept for an operator to inspect and replay (as in ingestion). */
	private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

	@Bean
	KafkaAdmin.NewTopics routingTopics(KafkaTopicsProperties properties) {
		List<NewTopic> topics = new ArrayList<>();
		topics.add(topic(Topics.USER_COMMANDS.name(), USER_COMMANDS_RETENTION, properties));
		topics.add(topic(Topics.deadLetter(Topics.USER_COMMANDS.name()), DEAD_LETTER_RETENTION, properties));
		topics.add(topic(Topics.EVENTS.name(), EVENTS_RETENTION, properties));
		topics.add(topic(Topics.deadLetter(Topics.EVENTS.name()), DEAD_LETTER_RETENTION, properties));
		topics.add(topic(Topics.STATUS.name(), STATUS_RETENTION, properties));
		for (Channel channel : Channel.values()) {
			for (Topic<?> lane : Topics.deliveryLanes(channel)) {
				topics.add(topic(lane.name(), DELIVERY_RETENTION, properties));
			}
		}
		return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
	}

	private static NewTopic topic(String name, Duration retention, KafkaTopicsProperties properties) {
		return properties.newTopic(name, retention);
	}

}
