package io.herald.delivery.system;

import io.herald.delivery.retry.RetryProperties;
import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.support.kafka.KafkaErrorHandlers;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.kafka.TopicRetention;
import io.herald.support.web.BodyLimitFilter;
import io.herald.support.web.ProblemWriter;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.unit.DataSize;

import java.util.ArrayList;
import java.util.List;

/**
 * The topics this service reads and writes (created when missing, with the retention
 * routing declares them with), how consumers react to failures, and the body limit of its
 * one public endpoint, the providers' receipts. The clock comes from
 * {@code service-support}.
 */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	/** A Twilio status callback is a form of a few hundred bytes. */
	private static final DataSize MAX_BODY = DataSize.ofKilobytes(16);

	@Bean
	BodyLimitFilter bodyLimitFilter(ProblemWriter problems) {
		return new BodyLimitFilter((request) -> MAX_BODY.toBytes(), problems);
	}

	@Bean
	KafkaAdmin.NewTopics heraldTopics(KafkaTopicsProperties properties, RetryProperties retry) {
		List<NewTopic> topics = new ArrayList<>();
		for (Channel channel : List.of(Channel.PUSH, Channel.EMAIL, Channel.SMS)) {
			for (Topic<DeliverNotification> lane : Topics.deliveryLanes(channel)) {
				topics.add(properties.newTopic(lane.name(), TopicRetention.DELIVERY));
				topics.add(properties.newTopic(Topics.deadLetter(lane.name()), TopicRetention.DEAD_LETTERS));
				for (int level = 1; level <= retry.levels(); level++) {
					topics.add(properties.newTopic(Topics.retry(lane, level), TopicRetention.DELIVERY));
				}
			}
		}
		topics.add(properties.newTopic(Topics.STATUS.name(), TopicRetention.STATUS));
		topics.add(properties.newTopic(Topics.USER_COMMANDS.name(), TopicRetention.USER_COMMANDS));
		return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
	}

	/**
	 * The error handler {@code service-support} gives every service, which retries a
	 * failing batch without end (a delivery request must not be skipped, and every send
	 * is guarded by the ledger), with one difference: once a failed batch went through,
	 * the container commits nothing on the listener's behalf. The lane listeners commit
	 * what they handled themselves, and a retry topic's batch holds requests that are not
	 * due yet, which a commit of the whole batch would skip for the next consumer of the
	 * partition, after a crash or a rebalance.
	 */
	@Bean
	DefaultErrorHandler kafkaErrorHandler() {
		DefaultErrorHandler handler = KafkaErrorHandlers.retryingWithoutEnd();
		handler.setAckAfterHandle(false);
		return handler;
	}

}
