package io.herald.routing.topology;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * The routing topology's health ({@code kafkaStreams}), part of the readiness group: the service
 * is ready once Kafka Streams has been {@code RUNNING}, so its stores answer the user API. A
 * later rebalance keeps it ready (reads retry and forward meanwhile); an error or a shutdown does
 * not.
 */
@Component("kafkaStreams")
class KafkaStreamsHealthIndicator implements HealthIndicator {

	private final StreamsBuilderFactoryBean factory;

	private volatile boolean wasRunning;

	KafkaStreamsHealthIndicator(StreamsBuilderFactoryBean factory) {
		this.factory = factory;
	}

	@Override
	public Health health() {
		KafkaStreams.State state = state(this.factory);
		if (state == KafkaStreams.State.RUNNING) {
			this.wasRunning = true;
		}
		boolean up = state == KafkaStreams.State.RUNNING
				|| (state == KafkaStreams.State.REBALANCING && this.wasRunning);
		return (up ? Health.up() : Health.outOfService()).withDetail("state", state.name()).build();
	}

	/** The state of the factory's Kafka Streams, {@code CREATED} before it has one. */
	static KafkaStreams.State state(StreamsBuilderFactoryBean factory) {
		KafkaStreams streams = factory.getKafkaStreams();
		return (streams != null) ? streams.state() : KafkaStreams.State.CREATED;
	}

}
