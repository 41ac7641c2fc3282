package io.herald.gateway.system;

import io.herald.events.Channel;
import io.herald.events.Topic;
import io.herald.events.Topics;
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
import org.springframework.util.unit.DataSize;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The clock, the topics this service reads and writes (created when missing, with the same
 * retention as routing declares them), and how consumers react to failures.
 */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	/** How long delivery requests wait for delivery workers: same as routing's. */
	private static final Duration DELIVERY_RETENTION = Duration.ofDays(3);

	/** How long the status topic keeps records: same as ingestion's and routing's. */
	private static final Duration STATUS_RETENTION = Duration.ofDays(7);

	/** How long dead letters are kept for an operator to inspect and replay. */
	private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

	/** As routing declares it: the user state lives in routing's changelog, not in this log. */
	private static final Duration USER_COMMANDS_RETENTION = Duration.ofDays(7);

	/** The largest request body the gateway reads. */
	private static final DataSize MAX_BODY = DataSize.ofKilobytes(4);

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** The inbox API's bodies are one small object ({@code {"upTo": 124}}). */
	@Bean
	BodyLimitFilter bodyLimitFilter(ProblemWriter problems) {
		return new BodyLimitFilter((request) -> MAX_BODY.toBytes(), problems);
	}

	@Bean
	KafkaAdmin.NewTopics heraldTopics(KafkaTopicsProperties properties) {
		List<NewTopic> topics = new ArrayList<>();
		for (Topic<?> lane : Topics.deliveryLanes(Channel.INAPP)) {
			topics.add(properties.newTopic(lane.name(), DELIVERY_RETENTION));
			topics.add(properties.newTopic(Topics.deadLetter(lane.name()), DEAD_LETTER_RETENTION));
		}
		topics.add(properties.newTopic(Topics.STATUS.name(), STATUS_RETENTION));
		// Read for erasures; routing owns it, declared here with routing's settings so that the
		// gateway can start first.
		topics.add(properties.newTopic(Topics.USER_COMMANDS.name(), USER_COMMANDS_RETENTION));
		return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
	}

	/**
	 * Retries a failing batch (Redis or Kafka down, say) with growing pauses, without end: an
	 * inbox must not skip notifications, and every append is idempotent. Records that cannot be
	 * decoded never get here: the inbox writer dead-letters them itself.
	 */
	@Bean
	CommonErrorHandler kafkaErrorHandler() {
		ExponentialBackOff backOff = new ExponentialBackOff(100, 2);
		backOff.setMaxInterval(5_000);
		return new DefaultErrorHandler(backOff);
	}

}
