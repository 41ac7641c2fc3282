package io.herald.routing.query;

import io.herald.events.RecordDecodingException;
import io.herald.management.InternalEndpoint;
import io.micrometer.core.instrument.Counter;
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
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a key of a state store of the main routing application ({@code herald-routing})
 * with interactive queries, wherever it lives. A store is partitioned like its source
 * topic: the key lives on the instance whose stream task owns its partition. This
 * instance reads its own partitions locally and asks the owner named by the Kafka Streams
 * metadata ({@code application.server}, the owner's management port) for every other key,
 * over an internal actuator endpoint that needs the instances' shared token
 * ({@link InternalApiProperties}). Never throws for a store that cannot be read right
 * now: that is a {@link Read.Unavailable} the caller may retry. Without a shared token it
 * does not forward at all.
 */
public final class StoreReads implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(StoreReads.class);

	private static final StringSerializer KEY_SERIALIZER = new StringSerializer();

	private final ObjectProvider<StreamsBuilderFactoryBean> streams;

	private final @Nullable String token;

	private final Duration forwardTimeout;

	private final Counter localReads;

	private final Counter forwardedReads;

	private final HttpClient http;

	/**
	 * This instance's {@code application.server}, once read; empty when none is
	 * configured.
	 */
	private volatile @Nullable Optional<HostInfo> self;

	/**
	 * @param streams the main routing application's factory
	 * @param token the instances' shared token, or {@code null} (then nothing is
	 * forwarded)
	 * @param forwardTimeout how long a read forwarded to the owner may take
	 * @param localReads counts the reads this instance answers itself
	 * @param forwardedReads counts the reads it asks the owner for
	 */
	public StoreReads(ObjectProvider<StreamsBuilderFactoryBean> streams, @Nullable String token,
			Duration forwardTimeout, Counter localReads, Counter forwardedReads) {
		this.streams = streams;
		this.token = token;
		this.forwardTimeout = forwardTimeout;
		this.localReads = localReads;
		this.forwardedReads = forwardedReads;
		this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(forwardTimeout).build();
	}

	/**
	 * One attempt to read a key, here or from its owner.
	 * @param store the store
	 * @param partitionKey the key of the store's source topic that the stored key lives
	 * with
	 * @param key the key in the store
	 * @param decode reads the owner's answer
	 * @param path the owner's internal endpoint, with {@code {}} variables
	 * @param variables the path's variables
	 */
	public <V> Read<V> read(String store, String partitionKey, String key, Function<byte[], @Nullable V> decode,
			String path, Object... variables) {
		return read(store, partitionKey, key, decode, true, path, variables);
	}

	/**
	 * One attempt to read a key from this instance only: {@link Read.Unavailable} when
	 * another instance owns it (a caller with stale metadata retries). What the internal
	 * endpoints answer.
	 */
	public <V> Read<V> readLocal(String store, String partitionKey, String key) {
		return read(store, partitionKey, key, (bytes) -> null, false, "");
	}

	private <V> Read<V> read(String store, String partitionKey, String key, Function<byte[], @Nullable V> decode,
			boolean mayForward, String path, Object... variables) {
		StreamsBuilderFactoryBean factory = this.streams.getIfUnique();
		KafkaStreams kafkaStreams = (factory != null) ? factory.getKafkaStreams() : null;
		if (kafkaStreams == null || !kafkaStreams.state().isRunningOrRebalancing()) {
			return new Read.Unavailable<>("the routing topology is not running");
		}
		try {
			KeyQueryMetadata metadata = kafkaStreams.queryMetadataForKey(store, partitionKey, KEY_SERIALIZER);
			if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
				return new Read.Unavailable<>("no metadata for the partition yet");
			}
			HostInfo self = self(factory).orElse(null);
			if (self == null || self.equals(metadata.activeHost())) {
				this.localReads.increment();
				ReadOnlyKeyValueStore<String, V> local = kafkaStreams
					.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
						.withPartition(metadata.partition()));
				V value = local.get(key);
				return (value != null) ? new Read.Found<>(value) : new Read.Missing<>();
			}
			if (!mayForward) {
				return new Read.Unavailable<>("owned by " + metadata.activeHost());
			}
			this.forwardedReads.increment();
			return fetch(metadata.activeHost(), decode, path, variables);
		}
		catch (StreamsException | IllegalStateException ex) {
			// InvalidStateStoreException (a StreamsException): rebalancing, restoring,
			// shutting down
			return new Read.Unavailable<>(ex.toString());
		}
	}

	private <V> Read<V> fetch(HostInfo owner, Function<byte[], @Nullable V> decode, String path, Object... variables) {
		String token = this.token;
		if (token == null) {
			return new Read.Unavailable<>("owned by " + owner + ", and forwarding is off: every routing instance "
					+ "needs the same herald.routing.internal-token");
		}
		HttpRequest request = HttpRequest.newBuilder(uri(owner, path, variables))
			.timeout(this.forwardTimeout)
			.header(InternalEndpoint.HEADER, token)
			.GET()
			.build();
		try {
			HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			return switch (response.statusCode()) {
				case 200 -> {
					V value = decode.apply(response.body());
					yield (value != null) ? new Read.Found<>(value) : new Read.Missing<>();
				}
				case 404 -> new Read.Missing<>();
				default -> {
					if (response.statusCode() == 401 || response.statusCode() == 403) {
						logger.warn("Routing instance {} refused the internal token: every instance needs the same "
								+ "herald.routing.internal-token", owner);
					}
					yield new Read.Unavailable<>("owner " + owner + " answered " + response.statusCode());
				}
			};
		}
		catch (IOException | RecordDecodingException ex) {
			return new Read.Unavailable<>("owner " + owner + " failed: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Read.Unavailable<>("interrupted");
		}
	}

	private static URI uri(HostInfo owner, String path, Object... variables) {
		String host = (owner.host().indexOf(':') >= 0 && !owner.host().startsWith("[")) ? "[" + owner.host() + "]"
				: owner.host();
		return UriComponentsBuilder.newInstance()
			.scheme("http")
			.host(host)
			.port(owner.port())
			.path(path)
			.encode()
			.buildAndExpand(variables)
			.toUri();
	}

	/**
	 * This instance as other instances reach it; empty when none is configured (one
	 * instance).
	 */
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

	@Override
	public void close() {
		this.http.close();
	}

	/** The outcome of one attempt to read a key. */
	public sealed interface Read<V> {

		/** The key has a value. */
		record Found<V>(V value) implements Read<V> {
		}

		/** The key has no value. */
		record Missing<V>() implements Read<V> {
		}

		/**
		 * The store could not be read right now: it is rebalancing or restoring, or its
		 * owner cannot be reached. Worth retrying.
		 *
		 * @param reason why, for logs
		 */
		record Unavailable<V>(String reason) implements Read<V> {
		}

	}

}
