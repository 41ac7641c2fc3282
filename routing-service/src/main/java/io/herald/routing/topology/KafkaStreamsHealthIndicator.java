package io.herald.routing.topology;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing applications' health ({@code kafkaStreams}), part of the readiness group:
 * the service is ready once each of its Kafka Streams applications (docs/adr/014) has
 * been {@code RUNNING}, so its stores answer the user API and critical events are routed.
 * A later rebalance keeps it ready (reads retry and forward meanwhile); an error or a
 * shutdown of either does not. The details give each application's state by application
 * id.
 */
class KafkaStreamsHealthIndicator implements HealthIndicator {

	private final List<StreamsBuilderFactoryBean> factories;

	private final Set<StreamsBuilderFactoryBean> wereRunning = ConcurrentHashMap.newKeySet();

	KafkaStreamsHealthIndicator(List<StreamsBuilderFactoryBean> factories) {
		this.factories = List.copyOf(factories);
	}

	@Override
	public Health health() {
		boolean up = true;
		Health.Builder health = Health.up();
		for (StreamsBuilderFactoryBean factory : this.factories) {
			KafkaStreams.State state = state(factory);
			if (state == KafkaStreams.State.RUNNING) {
				this.wereRunning.add(factory);
			}
			up &= state == KafkaStreams.State.RUNNING
					|| (state == KafkaStreams.State.REBALANCING && this.wereRunning.contains(factory));
			health.withDetail(RoutingConfiguration.applicationId(factory), state.name());
		}
		return (up ? health : health.outOfService()).build();
	}

	/** The state of the factory's Kafka Streams, {@code CREATED} before it has one. */
	static KafkaStreams.State state(StreamsBuilderFactoryBean factory) {
		KafkaStreams streams = factory.getKafkaStreams();
		return (streams != null) ? streams.state() : KafkaStreams.State.CREATED;
	}

}
