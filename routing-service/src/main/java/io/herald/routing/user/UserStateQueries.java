package io.herald.routing.user;

import io.herald.events.PartitionKeys;
import io.herald.events.UserState;
import io.herald.routing.topology.RoutingStores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;

/**
 * Reads users' state from the routing topology's {@link RoutingStores#USER_STATE} store with
 * interactive queries. The store is partitioned like {@code herald.user-commands}: a user's state
 * lives on the instance whose stream task owns the user's partition. This instance reads its own
 * partitions locally and forwards every other read to the owner named by the Kafka Streams
 * metadata ({@code application.server}). It reads the stores of the main routing application
 * ({@code herald-routing}); the critical one keeps a copy of its own (docs/adr/014).
 */
@Component
class UserStateQueries {

	private static final Logger logger = LoggerFactory.getLogger(UserStateQueries.class);

	private static final StringSerializer KEY_SERIALIZER = new StringSerializer();

	private final ObjectProvider<StreamsBuilderFactoryBean> streams;

	private final UserStateForwarder forwarder;

	private final UserApiProperties properties;

	private final Counter localReads;

	private final Counter forwardedReads;

	/** This instance's {@code application.server}, once read; empty when none is configured. */
	private volatile @Nullable Optional<HostInfo> self;

	UserStateQueries(
			@Qualifier(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_BUILDER_BEAN_NAME) ObjectProvider<StreamsBuilderFactoryBean> streams,
			UserStateForwarder forwarder,
			UserApiProperties properties, MeterRegistry meters) {
		this.streams = streams;
		this.forwarder = forwarder;
		this.properties = properties;
		this.localReads = reads(meters, "local");
		this.forwardedReads = reads(meters, "forwarded");
	}

	/**
	 * The state of a user, retrying while the store is unavailable.
	 * @return the state, or empty when the user is not known
	 * @throws io.herald.support.web.ApiProblemException {@code 503} with {@code Retry-After} when
	 * the state stays unavailable for {@link UserApiProperties#queryTimeout()}
	 */
	Optional<UserState> find(String tenant, String userId) {
		long deadline = System.nanoTime() + this.properties.queryTimeout().toNanos();
		while (true) {
			switch (lookup(tenant, userId)) {
				case Lookup.Found found -> {
					return Optional.of(found.state());
				}
				case Lookup.Missing missing -> {
					return Optional.empty();
				}
				case Lookup.Unavailable unavailable -> {
					if (System.nanoTime() - deadline >= 0) {
						logger.warn("User state of tenant {} unavailable for {}: {}", tenant,
								this.properties.queryTimeout(), unavailable.reason());
						throw Unavailable.problem("User state is not available right now (the routing service is "
								+ "starting or rebalancing); retry later.", this.properties.unavailableRetryAfter());
					}
					pause(this.properties.queryRetryInterval());
				}
			}
		}
	}

	/** One attempt to read a user's state, here or from the instance that owns it. */
	Lookup lookup(String tenant, String userId) {
		return lookup(tenant, userId, true);
	}

	/**
	 * One attempt to read a user's state from this instance only: {@link Lookup.Unavailable}
	 * when another instance owns the user (a caller with stale metadata retries).
	 */
	Lookup lookupLocal(String tenant, String userId) {
		return lookup(tenant, userId, false);
	}

	private Lookup lookup(String tenant, String userId, boolean mayForward) {
		StreamsBuilderFactoryBean factory = this.streams.getIfUnique();
		KafkaStreams kafkaStreams = (factory != null) ? factory.getKafkaStreams() : null;
		if (kafkaStreams == null || !kafkaStreams.state().isRunningOrRebalancing()) {
			return new Lookup.Unavailable("the routing topology is not running");
		}
		String key = PartitionKeys.user(tenant, userId);
		try {
			KeyQueryMetadata metadata = kafkaStreams.queryMetadataForKey(RoutingStores.USER_STATE, key,
					KEY_SERIALIZER);
			if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
				return new Lookup.Unavailable("no metadata for the user's partition yet");
			}
			HostInfo self = self(factory).orElse(null);
			if (self == null || self.equals(metadata.activeHost())) {
				this.localReads.increment();
				return readLocal(kafkaStreams, key, metadata.partition());
			}
			if (!mayForward) {
				return new Lookup.Unavailable("owned by " + metadata.activeHost());
			}
			this.forwardedReads.increment();
			return this.forwarder.fetch(metadata.activeHost(), tenant, userId);
		}
		catch (StreamsException | IllegalStateException ex) {
			// InvalidStateStoreException (a StreamsException): rebalancing, restoring, shutting down
			return new Lookup.Unavailable(ex.toString());
		}
	}

	private static Lookup readLocal(KafkaStreams kafkaStreams, String key, int partition) {
		ReadOnlyKeyValueStore<String, UserState> store = kafkaStreams.store(StoreQueryParameters
			.fromNameAndType(RoutingStores.USER_STATE, QueryableStoreTypes.<String, UserState>keyValueStore())
			.withPartition(partition));
		UserState state = store.get(key);
		return (state != null) ? new Lookup.Found(state) : new Lookup.Missing();
	}

	/** This instance as other instances reach it; empty when none is configured (one instance). */
	private Optional<HostInfo> self(StreamsBuilderFactoryBean factory) {
		Optional<HostInfo> self = this.self;
		if (self == null) {
			String server = factory.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
			self = (server != null && !server.isBlank()) ? Optional.of(HostInfo.buildFromEndpoint(server))
					: Optional.empty();
			this.self = self;
		}
		return self;
	}

	/** Waits between retries; an interrupt ends the wait and is kept for the caller to see. */
	static void pause(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw Unavailable.problem("The request was interrupted.", Duration.ofSeconds(1));
		}
	}

	private static Counter reads(MeterRegistry meters, String owner) {
		return Counter.builder("herald.routing.user.reads")
			.description("Reads of user state, by where the state lives: this instance or another one")
			.tag("owner", owner)
			.register(meters);
	}

}
