package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.EventAccepted;
import io.herald.events.EventCancelled;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.PartitionKeys;
import io.herald.events.Recipients;
import io.herald.events.RetractNotification;
import io.herald.events.StatusReported;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import io.herald.routing.ratelimit.RateLimitProperties;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The routing topology as a {@link KafkaStreams} application, at least once as the
 * service runs it, against a real broker. Each test uses its own tenant and application
 * id, so they share the broker.
 */
class RoutingIntegrationTests {

	private static final int PARTITIONS = 4;

	@RegisterExtension
	static final RoutingBroker broker = new RoutingBroker(PARTITIONS);

	@Test
	void restartInTheMiddleOfAStreamLosesAndDuplicatesNothing() throws Exception {
		String tenant = "restart";
		String applicationId = "routing-restart-" + UUID.randomUUID();
		int users = 20;
		registerUsers(tenant, users);
		KafkaStreams first = start(applicationId);
		int events = 400;
		List<EventAccepted> sent = new ArrayList<>();
		for (int n = 0; n < events; n++) {
			EventAccepted event = event(tenant, "e-" + n, List.of("u-" + (n % users), "u-" + ((n + 7) % users)),
					"k-" + n);
			sent.add(event);
			broker.sendEvent(event);
			if (n == events / 2) {
				// A poison record in the middle of the stream.
				broker.send(Topics.EVENTS.name(), tenant + "|poison", "{not json".getBytes(StandardCharsets.UTF_8));
				broker.flush();
				// Stop the first instance while records are in flight; the second starts
				// with an empty state directory, so it restores dedup and user state from
				// the changelogs.
				broker.close(first, Duration.ofSeconds(30));
				start(applicationId);
			}
			if (n % 50 == 0) {
				broker.flush();
			}
		}
		// Every fourth event is written a second time, as a publish retried under its
		// idempotency key after an ambiguous timeout.
		for (int n = 0; n < events; n += 4) {
			broker.sendEvent(sent.get(n));
		}
		broker.flush();

		int expected = events * 2 * 3;
		assertEachDeliveredOnce(lanes(), tenant, expected);

		try (KafkaConsumer<String, byte[]> deadLetters = committedReader(
				List.of(Topics.deadLetter(Topics.EVENTS.name())))) {
			List<ConsumerRecord<String, byte[]>> parked = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				deadLetters.poll(Duration.ofMillis(200)).forEach(parked::add);
				assertThat(parked).filteredOn((record) -> (tenant + "|poison").equals(record.key()))
					.singleElement()
					.satisfies((record) -> assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.DLT_REASON))
						.isEqualTo("malformed_json"));
			});
		}
	}

	@Test
	void topicEventReachesTenThousandSubscribersExactlyOnce() throws Exception {
		String tenant = "fanout";
		int subscribers = 10_000;
		KafkaStreams streams = start("routing-fanout-" + UUID.randomUUID());
		for (int i = 0; i < subscribers; i++) {
			String userId = "s-" + i;
			broker.send(Topics.USER_COMMANDS.name(), PartitionKeys.user(tenant, userId), Topics.USER_COMMANDS.codec()
				.encode(new UserCommand.Subscribe(1, tenant, userId, Instant.now(), "everyone")));
		}
		broker.flush();
		await().atMost(Duration.ofSeconds(120)).until(() -> countSubscribers(streams, tenant) == subscribers);

		broker.sendEvent(new EventAccepted(1, tenant, "e-big", Instant.now(), "news.weekly",
				new Recipients.Topic("everyone"), null, null, Set.of(Channel.INAPP),
				new io.herald.events.Content("News", "Weekly news", null), null, Map.of(), null, null));
		broker.flush();

		assertEachDeliveredOnce(List.of(Topics.deliver(Channel.INAPP, Lane.BULK).name()), tenant, subscribers);
	}

	@Test
	void eventForTenThousandUsersWritesItsBodyOncePerPartitionAndReachesEachUserOnce() throws Exception {
		String tenant = "named";
		String applicationId = "routing-named-" + UUID.randomUUID();
		// Registered users get email too, which proves each was routed on the partition
		// holding its state.
		int registered = 200;
		registerUsers(tenant, registered);
		broker.flush();
		// Repartition records stay readable after they are processed, so the test can
		// count them.
		KafkaStreams streams = start(applicationId,
				Map.of(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, Integer.MAX_VALUE));
		await().atMost(Duration.ofSeconds(60)).until(() -> countUsers(streams, tenant) == registered);

		int recipients = 10_000;
		List<String> users = new ArrayList<>(recipients);
		for (int i = 0; i < recipients; i++) {
			users.add("u-" + i);
		}
		EventAccepted event = new EventAccepted(1, tenant, "e-named", Instant.now(), "order.shipped",
				new Recipients.Users(users), null, null, Set.of(Channel.INAPP, Channel.EMAIL),
				new io.herald.events.Content("Shipped", "On its way", null), null, Map.of(), null, null);
		broker.sendEvent(event);
		broker.flush();

		assertEachDeliveredOnce(lanes(), tenant, recipients + registered);
		long eventBytes = Topics.EVENTS.codec().encode(event).length;
		long bareBytes = Topics.EVENTS.codec()
			.encode(event.withRecipients(new Recipients.Users(List.of("u-0")))).length;
		List<ConsumerRecord<byte[], byte[]>> written = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				"read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
			reader.subscribe(List.of(applicationId + "-" + RoutingTopology.EVENTS_BY_USER + "-repartition"));
			// With 10,000 users every partition has some: one record each, and nothing
			// more. The application also routes the other tests' events; only this
			// tenant's records count.
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				reader.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (new String(record.key(), StandardCharsets.UTF_8).startsWith(tenant + "|")) {
						written.add(record);
					}
				});
				assertThat(written).hasSize(PARTITIONS);
			});
		}
		long writtenBytes = 0;
		for (ConsumerRecord<byte[], byte[]> record : written) {
			writtenBytes += record.serializedKeySize() + record.serializedValueSize();
			for (Header header : record.headers()) {
				writtenBytes += header.key().length() + ((header.value() != null) ? header.value().length : 0);
			}
		}
		assertThat(writtenBytes).isLessThan(2 * (eventBytes + PARTITIONS * bareBytes));
	}

	/**
	 * A thread that dies mid-batch leaves what it routed since its last commit to be read
	 * again, with its dedup entries already written (its events were published under
	 * idempotency keys): each of those is a replay, routed again, not a duplicate
	 * dropped. Every notification arrives, repeats keep their notification ids (which the
	 * inbox and the send ledger recognise), and the replays are counted.
	 */
	@Test
	void aStreamThreadKilledMidBatchIsReplacedAndWhatItRoutedIsRoutedAgainNotDropped() throws Exception {
		String tenant = "thread-death";
		int users = 10;
		int events = 300;
		registerUsers(tenant, users);
		// The thread routing the 200th decision dies of an Error, which no dead-letter
		// handler takes, after it marked the event as seen and before it finished routing
		// it.
		AtomicInteger decisions = new AtomicInteger();
		SimpleMeterRegistry routingMeters = new SimpleMeterRegistry();
		RoutingMetrics dying = new RoutingMetrics(routingMeters, "thread-death") {
			@Override
			void decided(EventAccepted event, Channel channel, String outcome, String reason) {
				// The application reads the events of the other tests too; only this
				// tenant's count.
				if (event.tenant().equals(tenant) && decisions.incrementAndGet() == 200) {
					throw new InjectedThreadDeath();
				}
				super.decided(event, channel, outcome, reason);
			}
		};
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		KafkaStreams streams = start("routing-thread-death-" + UUID.randomUUID(), dying,
				new StreamThreadRecovery(registry, "thread-death", 10, Duration.ofMinutes(5), Clock.systemUTC()));
		await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
		for (int n = 0; n < events; n++) {
			broker.sendEvent(event(tenant, "e-" + n, List.of("u-" + (n % users)), "k-" + n));
		}
		broker.flush();

		int expected = events * 3;
		assertEachDelivered(lanes(), tenant, expected, false);
		assertThat(decisions.get()).isGreaterThan(expected);
		assertThat(routingMeters.get("herald.routing.replays").counter().count()).isPositive();
		// Its events name one user each and are keyed by that user: routed where they
		// were read.
		assertThat(routingMeters.get("herald.routing.events").tag("path", "local").counter().count())
			.isGreaterThanOrEqualTo(events);
		assertThat(registry.get("herald.routing.stream.threads.failed")
			.tags("exception", "InjectedThreadDeath", "action", "replaced")
			.counter()
			.count()).isEqualTo(1);
		assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
		assertThat(streams.metadataForLocalThreads()).hasSize(2);
	}

	@Test
	void threadsThatKeepDyingShutKafkaStreamsDownAndFailLiveness() throws Exception {
		String tenant = "always-dying";
		RoutingMetrics dying = new RoutingMetrics(new SimpleMeterRegistry(), "routing") {
			@Override
			void decided(EventAccepted event, Channel channel, String outcome, String reason) {
				if (event.tenant().equals(tenant)) {
					throw new InjectedThreadDeath();
				}
				super.decided(event, channel, outcome, reason);
			}
		};
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		KafkaStreams streams = start("routing-always-dying-" + UUID.randomUUID(), dying,
				new StreamThreadRecovery(registry, "always-dying", 1, Duration.ofMinutes(5), Clock.systemUTC()));
		KafkaStreamsLivenessIndicator liveness = new KafkaStreamsLivenessIndicator(
				List.of(new StreamsBuilderFactoryBean(
						new KafkaStreamsConfiguration(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "always-dying"))) {
					@Override
					public KafkaStreams getKafkaStreams() {
						return streams;
					}
				}));
		await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
		assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);

		registerUsers(tenant, 1);
		broker.sendEvent(event(tenant, "e-0", List.of("u-0")));
		broker.flush();

		await().atMost(Duration.ofSeconds(120)).until(() -> streams.state() == KafkaStreams.State.ERROR);
		assertThat(liveness.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(liveness.health().getDetails()).containsEntry("always-dying", "ERROR");
		assertThat(registry.get("herald.routing.stream.threads.failed").tag("action", "replaced").counter().count())
			.isEqualTo(1);
		assertThat(registry.get("herald.routing.stream.threads.failed").tag("action", "shutdown").counter().count())
			.isEqualTo(1);
	}

	private KafkaStreams start(String applicationId) throws Exception {
		return start(applicationId, Map.of());
	}

	private KafkaStreams start(String applicationId, Map<String, Object> overrides) throws Exception {
		AtomicReference<Throwable> failure = new AtomicReference<>();
		KafkaStreams streams = start(applicationId, new RoutingMetrics(new SimpleMeterRegistry(), "routing"), (ex) -> {
			failure.set(ex);
			return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
		}, overrides);
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			assertThat(failure.get()).isNull();
			return streams.state() == KafkaStreams.State.RUNNING;
		});
		return streams;
	}

	private KafkaStreams start(String applicationId, RoutingMetrics metrics, StreamsUncaughtExceptionHandler handler)
			throws Exception {
		return start(applicationId, metrics, handler, Map.of());
	}

	private KafkaStreams start(String applicationId, RoutingMetrics metrics, StreamsUncaughtExceptionHandler handler,
			Map<String, Object> overrides) throws Exception {
		Properties properties = broker.streamsProperties(applicationId);
		properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
		properties.putAll(overrides);
		StreamsBuilder builder = new StreamsBuilder();
		new RoutingTopology(PARTITIONS, RoutingProperties.defaults(), new RateLimitProperties(Map.of()),
				new TestTemplates(), metrics, new RecordTracing(Tracer.NOOP, Propagator.NOOP))
			.build(builder);
		KafkaStreams streams = new KafkaStreams(builder.build(properties), properties);
		streams.setUncaughtExceptionHandler(handler);
		return broker.start(streams);
	}

	private static long countUsers(KafkaStreams streams, String tenant) {
		try {
			ReadOnlyKeyValueStore<String, UserState> store = streams.store(StoreQueryParameters
				.fromNameAndType(RoutingStores.USER_STATE, QueryableStoreTypes.keyValueStore()));
			long count = 0;
			try (KeyValueIterator<String, UserState> all = store.prefixScan(tenant + "|", new StringSerializer())) {
				while (all.hasNext()) {
					all.next();
					count++;
				}
			}
			return count;
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	private static long countSubscribers(KafkaStreams streams, String tenant) {
		try {
			ReadOnlyKeyValueStore<String, String> store = streams.store(StoreQueryParameters
				.fromNameAndType(RoutingStores.TOPIC_SUBSCRIBERS, QueryableStoreTypes.keyValueStore()));
			long count = 0;
			try (KeyValueIterator<String, String> all = store.all()) {
				while (all.hasNext()) {
					if (all.next().key.startsWith(tenant + "|")) {
						count++;
					}
				}
			}
			return count;
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	@Test
	void aCancellationStopsWhatIsHeldAndRetractsWhatWasShownOnEveryPartition() throws Exception {
		String tenant = "cancel";
		registerUsers(tenant, 4);
		start("routing-cancel-" + UUID.randomUUID());
		EventAccepted scheduled = new EventAccepted(1, tenant, "e-scheduled", Instant.now(), "order.shipped",
				new Recipients.Users(List.of("u-0", "u-1")), null, null, Set.of(Channel.INAPP, Channel.EMAIL),
				new io.herald.events.Content("Shipped", "On its way", null), null, Map.of(),
				Instant.now().plus(Duration.ofHours(1)), null);
		EventAccepted shown = event(tenant, "e-shown", List.of("u-2", "u-3"));
		broker.sendEvent(scheduled);
		broker.sendEvent(shown);
		broker.flush();
		try (KafkaConsumer<String, byte[]> statuses = committedReader(List.of(Topics.STATUS.name()));
				KafkaConsumer<String, byte[]> inApp = committedReader(
						Topics.deliveryLanes(Channel.INAPP).stream().map(Topic::name).toList())) {
			Map<String, String> states = new HashMap<>();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				readStates(statuses, tenant, states);
				assertThat(states).containsEntry("e-scheduled|u-0|inapp", "deferred")
					.containsEntry("e-shown|u-3|inapp", "queued");
			});

			for (EventAccepted event : List.of(scheduled, shown)) {
				EventCancelled cancellation = EventCancelled.of(event, Instant.now(), EventCancelled.BY_API);
				ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS.name(),
						PartitionKeys.eventLog(event), EventCancelled.CODEC.encode(cancellation));
				HeaderNames.addCloudEvent(record.headers(), event.eventId(), EventCancelled.CLOUD_EVENT_TYPE,
						"/herald/ingestion", cancellation.cancelledAt(), null);
				broker.producer().send(record);
			}
			broker.flush();

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				readStates(statuses, tenant, states);
				assertThat(states).containsEntry("e-scheduled|u-0|inapp", "cancelled")
					.containsEntry("e-scheduled|u-0|email", "cancelled")
					.containsEntry("e-scheduled|u-1|inapp", "cancelled")
					.containsEntry("e-scheduled|u-1|email", "cancelled");
			});
			List<String> retracted = new ArrayList<>();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				for (ConsumerRecord<String, byte[]> record : inApp.poll(Duration.ofMillis(500))) {
					if (record.key().startsWith(tenant + "|") && RetractNotification.isRetraction(record.headers())) {
						RetractNotification retraction = RetractNotification.CODEC.decode(record.value());
						retraction.users().forEach((user) -> retracted.add(retraction.eventId() + "|" + user));
					}
				}
				assertThat(retracted).contains("e-shown|u-2", "e-shown|u-3");
			});
		}
	}

	/** The latest state of each delivery of a tenant: {@code eventId|userId|channel}. */
	private static void readStates(KafkaConsumer<String, byte[]> consumer, String tenant, Map<String, String> states) {
		for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
			StatusReported status = Topics.STATUS.codec().decode(record.value());
			if (status != null && status.tenant().equals(tenant)) {
				for (StatusReported one : status.perUser()) {
					states.put(one.eventId() + "|" + one.userId() + "|" + one.channel().wireName(),
							one.state().wireName());
				}
			}
		}
	}

	private static EventAccepted event(String tenant, String eventId, List<String> users) {
		return event(tenant, eventId, users, null);
	}

	private static EventAccepted event(String tenant, String eventId, List<String> users,
			@Nullable String idempotencyKey) {
		return new EventAccepted(1, tenant, eventId, Instant.now(), "order.shipped", new Recipients.Users(users), null,
				idempotencyKey, Set.of(Channel.INAPP, Channel.PUSH, Channel.EMAIL),
				new io.herald.events.Content("Shipped", "On its way", null), null, Map.of(), null, null);
	}

	/**
	 * Reads the committed records of {@code topics} until {@code expected} notifications
	 * of the tenant arrived, then for 3 s more, and checks that each arrived exactly
	 * once.
	 */
	private static void assertEachDeliveredOnce(List<String> topics, String tenant, int expected) {
		assertEachDelivered(topics, tenant, expected, true);
	}

	/**
	 * Reads the committed records of {@code topics} until {@code expected} distinct
	 * notifications of the tenant arrived, then for 3 s more, and checks that no other
	 * arrived and, if {@code once}, that none arrived twice.
	 */
	private static void assertEachDelivered(List<String> topics, String tenant, int expected, boolean once) {
		Map<String, Integer> deliveries = new HashMap<>();
		try (KafkaConsumer<String, byte[]> reader = committedReader(topics)) {
			await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
				read(reader, tenant, deliveries);
				assertThat(deliveries.size()).as("distinct notifications").isEqualTo(expected);
			});
			// Nothing more arrives.
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				read(reader, tenant, deliveries);
				assertThat(deliveries.size()).as("distinct notifications").isEqualTo(expected);
			});
		}
		if (once) {
			assertThat(deliveries.values()).allMatch((count) -> count == 1);
		}
	}

	/** Users u-0 to u-(count-1), each with an email address and an Android device. */
	private static void registerUsers(String tenant, int count) {
		for (int i = 0; i < count; i++) {
			broker.registerUser(tenant, "u-" + i);
		}
	}

	private static List<String> lanes() {
		List<String> lanes = new ArrayList<>();
		for (Channel channel : Channel.values()) {
			Topics.deliveryLanes(channel).forEach((lane) -> lanes.add(lane.name()));
		}
		return lanes;
	}

	private static KafkaConsumer<String, byte[]> committedReader(List<String> topics) {
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
						"read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
				new StringDeserializer(), new ByteArrayDeserializer());
		consumer.subscribe(topics);
		return consumer;
	}

	/** Counts deliveries of a tenant per notification id, a batch's one per user. */
	private static void read(KafkaConsumer<String, byte[]> consumer, String tenant, Map<String, Integer> counts) {
		for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
			if (record.key() != null && record.key().startsWith(tenant + "|")) {
				DeliverNotification written = Topics.deliver(Channel.INAPP, Lane.BULK).codec().decode(record.value());
				for (DeliverNotification notification : written.perUser()) {
					counts.merge(notification.notificationId(), 1, Integer::sum);
				}
			}
		}
	}

}
