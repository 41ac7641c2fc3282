package io.herald.routing.topology;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * Part of the liveness group ({@code kafkaStreamsLiveness}): down once Kafka Streams has shut
 * itself down after an error ({@code PENDING_ERROR}, {@code ERROR}), which it never leaves, so that
 * the service's supervisor restarts it rather than leave an instance up that routes nothing.
 * Starting, rebalancing and a graceful shutdown keep it up; readiness
 * ({@link KafkaStreamsHealthIndicator}) covers those.
 */
@Component("kafkaStreamsLiveness")
class KafkaStreamsLivenessIndicator implements HealthIndicator {

	private final StreamsBuilderFactoryBean factory;

	KafkaStreamsLivenessIndicator(StreamsBuilderFactoryBean factory) {
		this.factory = factory;
	}

	@Override
	public Health health() {
		KafkaStreams.State state = KafkaStreamsHealthIndicator.state(this.factory);
		boolean failed = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR;
		return (failed ? Health.down() : Health.up()).withDetail("state", state.name()).build();
	}

}
