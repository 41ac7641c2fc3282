package io.herald.routing.topology;

import io.herald.events.EventCancelled;
import io.herald.events.PartitionKeys;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cancelled events of a partition, and what asking about them costs (docs/adr/029).
 */
class CancelledEventsTests {

	private static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");

	/**
	 * A real in-memory store; {@link #reads} counts the point reads made through
	 * {@link #counted}.
	 */
	private final KeyValueStore<String, EventCancelled> store = Stores
		.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RoutingStores.CANCELLED), Serdes.String(),
				EventCancelled.CODEC.serde())
		.withLoggingDisabled()
		.withCachingDisabled()
		.build();

	private final AtomicInteger reads = new AtomicInteger();

	private final KeyValueStore<String, EventCancelled> counted = counting(this.store, this.reads);

	CancelledEventsTests() {
		MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
		this.store.init(context.getStateStoreContext(), this.store);
	}

	@AfterEach
	void close() {
		this.store.close();
	}

	@Test
	void readsNothingWhileThePartitionRemembersNoCancellation() {
		CancelledEvents cancelled = new CancelledEvents(this.counted);

		for (int i = 0; i < 100; i++) {
			assertThat(cancelled.of("acme", "e-" + i)).isNull();
		}

		assertThat(this.reads).hasValue(0);
	}

	@Test
	void findsACancellationOnceItIsRememberedAndKeepsTheFirst() {
		CancelledEvents cancelled = new CancelledEvents(this.counted);
		EventCancelled first = cancellation("e-1", NOON);

		assertThat(cancelled.remember(first)).isTrue();
		assertThat(cancelled.remember(cancellation("e-1", NOON.plusSeconds(5)))).isFalse();

		assertThat(cancelled.of("acme", "e-1")).isEqualTo(first);
		assertThat(cancelled.of("acme", "e-2")).isNull();
		assertThat(cancelled.of("globex", "e-1")).isNull();
	}

	@Test
	void findsTheCancellationsItsStoreHeldWhenItStarted() {
		this.store.put(PartitionKeys.event("acme", "e-1"), cancellation("e-1", NOON));

		CancelledEvents cancelled = new CancelledEvents(this.counted);

		assertThat(cancelled.of("acme", "e-1")).isNotNull();
		assertThat(this.reads).hasValue(1);
	}

	@Test
	void readsNothingAgainOnceEveryCancellationIsForgotten() {
		CancelledEvents cancelled = new CancelledEvents(this.counted);
		cancelled.remember(cancellation("e-1", NOON));
		cancelled.remember(cancellation("e-2", NOON.plus(Duration.ofHours(1))));

		cancelled.forgetBefore(NOON.plusSeconds(1));
		assertThat(cancelled.of("acme", "e-1")).isNull();
		assertThat(cancelled.of("acme", "e-2")).isNotNull();

		cancelled.forgetBefore(NOON.plus(Duration.ofDays(1)));
		int readsBefore = this.reads.get();
		assertThat(cancelled.of("acme", "e-2")).isNull();
		assertThat(this.reads).hasValue(readsBefore);
		assertThat(this.store.approximateNumEntries()).isZero();
	}

	private static EventCancelled cancellation(String eventId, Instant at) {
		return new EventCancelled(EventCancelled.SCHEMA_VERSION, "acme", eventId, at, EventCancelled.BY_API);
	}

	/** The store itself, with its point reads ({@code get}) counted. */
	@SuppressWarnings("unchecked")
	private static KeyValueStore<String, EventCancelled> counting(KeyValueStore<String, EventCancelled> store,
			AtomicInteger reads) {
		return (KeyValueStore<String, EventCancelled>) Proxy.newProxyInstance(
				CancelledEventsTests.class.getClassLoader(), new Class<?>[] { KeyValueStore.class },
				(proxy, method, arguments) -> {
					if (method.getName().equals("get")) {
						reads.incrementAndGet();
					}
					try {
						return method.invoke(store, arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

}
