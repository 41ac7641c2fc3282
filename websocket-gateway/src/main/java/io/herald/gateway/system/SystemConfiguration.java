package io.herald.gateway.system;

import io.herald.events.Channel;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.support.kafka.KafkaTopicsProperties;
import io.herald.support.kafka.TopicRetention;
import io.herald.support.web.BodyLimitFilter;
import io.herald.support.web.ProblemWriter;
import io.herald.support.web.PublicPaths;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.util.unit.DataSize;

import java.util.ArrayList;
import java.util.List;

/**
 * The topics this service reads and writes (created when missing, with the same retention
 * as routing declares them), the body limit and the public paths. The clock and the
 * consumers' error handler come from {@code service-support}.
 */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	/** The largest request body of the inbox API: one small object. */
	private static final DataSize MAX_BODY = DataSize.ofKilobytes(4);

	/**
	 * The largest preferences body: routing's user API takes as much (100 category rules
	 * fit).
	 */
	private static final DataSize MAX_PREFERENCES_BODY = DataSize.ofKilobytes(64);

	/**
	 * The inbox API's bodies are one small object ({@code {"upTo": 124}}); the user's
	 * preferences may be larger.
	 */
	@Bean
	BodyLimitFilter bodyLimitFilter(ProblemWriter problems) {
		return new BodyLimitFilter((request) -> BodyLimitFilter.normalizedPath(request).equals("/v1/inbox/preferences")
				? MAX_PREFERENCES_BODY.toBytes() : MAX_BODY.toBytes(), problems);
	}

	/**
	 * The browser client and its demo page are served to anyone; everything else needs a
	 * token.
	 */
	@Bean
	PublicPaths publicPaths() {
		return PublicPaths.of("/herald-client.js", "/demo/");
	}

	@Bean
	KafkaAdmin.NewTopics heraldTopics(KafkaTopicsProperties properties) {
		List<NewTopic> topics = new ArrayList<>();
		for (Topic<?> lane : Topics.deliveryLanes(Channel.INAPP)) {
			topics.add(properties.newTopic(lane.name(), TopicRetention.DELIVERY));
			topics.add(properties.newTopic(Topics.deadLetter(lane.name()), TopicRetention.DEAD_LETTERS));
		}
		topics.add(properties.newTopic(Topics.STATUS.name(), TopicRetention.STATUS));
		// Read for erasures; routing owns it, declared here with routing's settings so
		// that the gateway can start first.
		topics.add(properties.newTopic(Topics.USER_COMMANDS.name(), TopicRetention.USER_COMMANDS));
		return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
	}

}
