package io.herald.routing.topology;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.util.List;

/**
 * Part of the liveness group ({@code kafkaStreamsLiveness}): down once either routing
 * application (docs/adr/014) has shut itself down after an error ({@code PENDING_ERROR},
 * {@code ERROR}), which it never leaves, so that the service's supervisor restarts it
 * rather than leave an instance up that routes nothing, or no critical event. Starting,
 * rebalancing and a graceful shutdown keep it up; readiness
 * ({@link KafkaStreamsHealthIndicator}) covers those. The details give each application's
 * state by application id.
 */
class KafkaStreamsLivenessIndicator implements HealthIndicator {

	private final List<StreamsBuilderFactoryBean> factories;

	KafkaStreamsLivenessIndicator(List<StreamsBuilderFactoryBean> factories) {
		this.factories = List.copyOf(factories);
	}

	@Override
	public Health health() {
		boolean failed = false;
		Health.Builder health = Health.up();
		for (StreamsBuilderFactoryBean factory : this.factories) {
			KafkaStreams.State state = KafkaStreamsHealthIndicator.state(factory);
			failed |= state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR;
			health.withDetail(RoutingConfiguration.applicationId(factory), state.name());
		}
		return (failed ? health.down() : health).build();
	}

}
