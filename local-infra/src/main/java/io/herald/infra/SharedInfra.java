package io.herald.infra;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One Kafka broker and one Redis server per JVM, started on first use on free ports and
 * closed when the JVM exits.
 *
 * <p>
 * For integration tests that only need the infrastructure to be there: starting a broker
 * takes seconds, sharing it across test classes takes that cost once per test JVM. Tests
 * must therefore not stop, close or reconfigure the shared instances, and must isolate
 * their data (unique topic names, consumer groups and Redis keys). A test that simulates
 * an outage creates its own {@link KafkaBroker} or {@link RedisServer}.
 *
 * <pre>{@code
 * &#64;DynamicPropertySource
 * static void infrastructure(DynamicPropertyRegistry registry) {
 *     registry.add("spring.kafka.bootstrap-servers", SharedInfra.kafka()::bootstrapServers);
 *     registry.add("spring.data.redis.port", SharedInfra.redis()::port);
 * }
 * }</pre>
 */
public final class SharedInfra {

	private static final Lazy<KafkaBroker> KAFKA = new Lazy<>(() -> {
		KafkaBroker broker = KafkaBroker.builder().build();
		try {
			return broker.start();
		}
		catch (RuntimeException ex) {
			broker.close();
			throw ex;
		}
	});

	private static final Lazy<RedisServer> REDIS = new Lazy<>(() -> {
		RedisServer server = RedisServer.builder().build();
		try {
			return server.start();
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
	});

	private SharedInfra() {
	}

	/**
	 * Returns the shared broker, starting it on the first call. A failed start is retried
	 * by the next call.
	 * @return a running broker with a temporary log directory
	 * @throws IllegalStateException if the broker cannot start
	 */
	public static KafkaBroker kafka() {
		return KAFKA.get();
	}

	/**
	 * Returns the shared Redis server, starting it on the first call. A failed start is
	 * retried by the next call.
	 * @return a running ephemeral Redis server
	 * @throws IllegalStateException if {@code redis-server} is not installed or cannot
	 * start
	 */
	public static RedisServer redis() {
		return REDIS.get();
	}

	/**
	 * A value created on first successful use; both the broker and the server register
	 * their own shutdown hooks, which close them when the JVM exits.
	 */
	private static final class Lazy<T> {

		private final Supplier<T> factory;

		private @Nullable T value;

		Lazy(Supplier<T> factory) {
			this.factory = factory;
		}

		synchronized T get() {
			T value = this.value;
			if (value == null) {
				value = this.factory.get();
				this.value = value;
			}
			return value;
		}

	}

}
