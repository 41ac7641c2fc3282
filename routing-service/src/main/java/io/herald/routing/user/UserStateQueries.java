package io.herald.routing.user;

import io.herald.events.JsonCodec;
import io.herald.events.PartitionKeys;
import io.herald.events.UserState;
import io.herald.routing.query.InternalApiProperties;
import io.herald.routing.query.StoreReads;
import io.herald.routing.topology.RoutingStores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Reads users' state from the routing topology's {@link RoutingStores#USER_STATE} store
 * with interactive queries ({@link StoreReads}). The store is partitioned like
 * {@code herald.user-commands}: a user's state lives on the instance whose stream task
 * owns the user's partition. This instance reads its own partitions locally and forwards
 * every other read to the owner's {@code /actuator/userstate/{tenant}/{userId}}
 * ({@link UserStateEndpoint}). It reads the stores of the main routing application
 * ({@code herald-routing}); the critical one keeps a copy of its own (docs/adr/014).
 */
@Component
class UserStateQueries implements AutoCloseable {

	/** The JSON of a user state between instances: the codec of the records on topics. */
	static final JsonCodec<UserState> CODEC = new JsonCodec<>(UserState.class, UserState.SCHEMA_VERSION);

	private static final Logger logger = LoggerFactory.getLogger(UserStateQueries.class);

	private final StoreReads reads;

	private final UserApiProperties properties;

	UserStateQueries(
			@Qualifier(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_BUILDER_BEAN_NAME) ObjectProvider<StreamsBuilderFactoryBean> streams,
			InternalApiProperties internal, UserApiProperties properties, MeterRegistry meters) {
		this.reads = new StoreReads(streams, internal.internalToken(), properties.forwardTimeout(),
				reads(meters, "local"), reads(meters, "forwarded"));
		this.properties = properties;
	}

	/**
	 * The state of a user, retrying while the store is unavailable.
	 * @return the state, or empty when the user is not known
	 * @throws io.herald.support.web.ApiProblemException {@code 503} with
	 * {@code Retry-After} when the state stays unavailable for
	 * {@link UserApiProperties#queryTimeout()}
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
						throw Unavailable.problem(
								"User state is not available right now (the routing service is "
										+ "starting or rebalancing); retry later.",
								this.properties.unavailableRetryAfter());
					}
					pause(this.properties.queryRetryInterval());
				}
			}
		}
	}

	/** One attempt to read a user's state, here or from the instance that owns it. */
	Lookup lookup(String tenant, String userId) {
		String key = PartitionKeys.user(tenant, userId);
		return switch (this.reads.read(RoutingStores.USER_STATE, key, key, CODEC::decode,
				"/actuator/" + UserStateEndpoint.ID + "/{tenant}/{userId}", tenant, userId)) {
			case StoreReads.Read.Found<UserState> found -> new Lookup.Found(found.value());
			case StoreReads.Read.Missing<UserState> missing -> new Lookup.Missing();
			case StoreReads.Read.Unavailable<UserState> unavailable -> new Lookup.Unavailable(unavailable.reason());
		};
	}

	/**
	 * One attempt to read a user's state from this instance only: unavailable when
	 * another instance owns the user (a caller with stale metadata retries).
	 */
	StoreReads.Read<UserState> readLocal(String tenant, String userId) {
		String key = PartitionKeys.user(tenant, userId);
		return this.reads.readLocal(RoutingStores.USER_STATE, key, key);
	}

	/**
	 * Waits between retries; an interrupt ends the wait and is kept for the caller to
	 * see.
	 */
	static void pause(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw Unavailable.problem("The request was interrupted.", Duration.ofSeconds(1));
		}
	}

	@Override
	public void close() {
		this.reads.close();
	}

	private static Counter reads(MeterRegistry meters, String owner) {
		return Counter.builder("herald.routing.user.reads")
			.description("Reads of user state, by where the state lives: this instance or another one")
			.tag("owner", owner)
			.register(meters);
	}

}
