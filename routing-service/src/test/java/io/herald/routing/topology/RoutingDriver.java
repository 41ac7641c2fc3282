package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.routing.digest.DigestLookup;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.EventAccepted;
import io.herald.events.EventCancelled;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.PartitionKeys;
import io.herald.events.Preferences;
import io.herald.events.Profile;
import io.herald.events.RetractNotification;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.routing.TestTracing;
import io.herald.routing.ratelimit.RateLimit;
import io.herald.routing.ratelimit.RateLimitProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

/**
 * The routing topology in a {@link TopologyTestDriver} whose wall clock starts at a given
 * instant and moves only when a test advances it; that clock is the topology's "now".
 */
final class RoutingDriver implements AutoCloseable {

	static final String APPLICATION_ID = "herald-routing-test";

	/** The partitions the topology is built with. */
	static final int PARTITIONS = 12;

	final TopologyTestDriver driver;

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/**
	 * A real tracer (every root sampled, children as their parent), exporting nowhere.
	 */
	private final TestTracing tracing = new TestTracing();

	private final TestInputTopic<String, UserCommand> commands;

	private final TestInputTopic<String, EventAccepted> events;

	private final TestInputTopic<String, EventCancelled> cancellations;

	private final Map<String, TestInputTopic<String, byte[]>> raw = new java.util.HashMap<>();

	private final Map<Channel, Map<Lane, TestOutputTopic<String, byte[]>>> lanes = new EnumMap<>(Channel.class);

	/** Retractions read from the lanes and not yet taken by {@link #retractions()}. */
	private final List<TestRecord<String, RetractNotification>> retractions = new ArrayList<>();

	private final TestOutputTopic<String, StatusReported> statuses;

	private Instant now;

	/**
	 * A driver whose only rate limit is two SMS an hour per user, with user {@code u-1}
	 * reachable.
	 */
	static RoutingDriver withTwoSmsAnHour(Instant start) {
		RoutingDriver routing = new RoutingDriver(start,
				new RateLimitProperties(Map.of(Channel.SMS, new RateLimit(2, Duration.ofHours(1)))));
		routing.reachableUser("u-1");
		return routing;
	}

	RoutingDriver(Instant start, RateLimitProperties rateLimits) {
		this(start, rateLimits, DigestLookup.NONE);
	}

	/** A driver whose tenants digest by {@code digests}. */
	RoutingDriver(Instant start, DigestLookup digests) {
		this(start, new RateLimitProperties(null), digests);
	}

	private RoutingDriver(Instant start, RateLimitProperties rateLimits, DigestLookup digests) {
		this.now = start;
		StreamsBuilder builder = new StreamsBuilder();
		new RoutingTopology(Topics.EVENTS, PARTITIONS, RoutingProperties.defaults(), rateLimits, new TestTemplates(),
				digests, new RoutingMetrics(this.meters, "herald-routing"), this.tracing.tracing(),
				BuiltInDslStoreSuppliers.IN_MEMORY)
			.build(builder);
		Properties properties = new Properties();
		properties.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
		properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
		properties.put(StreamsConfig.STATE_DIR_CONFIG, tempDirectory().toString());
		// At-least-once on purpose: with exactly_once_v2, TopologyTestDriver 4.2 drops
		// the dead letters a DeserializationExceptionHandler returns (those of a
		// ProcessingExceptionHandler survive). RoutingIntegrationTests checks
		// dead-lettering under exactly_once_v2 against a real broker.
		properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
		properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
				DeadLetterDeserializationHandler.class.getName());
		properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
				DeadLetterProcessingHandler.class.getName());
		properties.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
		this.driver = new TopologyTestDriver(builder.build(), properties, start);
		this.commands = this.driver.createInputTopic(Topics.USER_COMMANDS.name(), new StringSerializer(),
				Topics.USER_COMMANDS.codec().serializer());
		this.events = this.driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(),
				Topics.EVENTS.codec().serializer());
		this.cancellations = this.driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(),
				EventCancelled.CODEC.serializer());
		for (Channel channel : Channel.values()) {
			Map<Lane, TestOutputTopic<String, byte[]>> byLane = new EnumMap<>(Lane.class);
			for (Lane lane : Lane.values()) {
				byLane.put(lane, this.driver.createOutputTopic(Topics.deliver(channel, lane).name(),
						new StringDeserializer(), new ByteArrayDeserializer()));
			}
			this.lanes.put(channel, byLane);
		}
		this.statuses = this.driver.createOutputTopic(Topics.STATUS.name(), new StringDeserializer(),
				Topics.STATUS.codec().deserializer());
	}

	RoutingDriver(Instant start) {
		this(start, new RateLimitProperties(null));
	}

	/** The name of one of the topology's repartition topics. */
	static String repartitionTopic(String name) {
		return APPLICATION_ID + "-" + name + "-repartition";
	}

	/** The user ids {@code u-0} to {@code u-<count - 1>}. */
	static String[] users(int count) {
		return IntStream.range(0, count).mapToObj((n) -> "u-" + n).toArray(String[]::new);
	}

	/** The partition of {@link #PARTITIONS} that Kafka's producer puts a key on. */
	static int kafkaPartition(String key) {
		return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
	}

	Instant now() {
		return this.now;
	}

	/** Moves the wall clock, which fires the release punctuator. */
	void advance(Duration duration) {
		this.now = this.now.plus(duration);
		this.driver.advanceWallClockTime(duration);
	}

	/** Moves the wall clock to an instant. */
	void advanceTo(Instant instant) {
		advance(Duration.between(this.now, instant));
	}

	void command(UserCommand command) {
		this.commands.pipeInput(command.key(), command, this.now);
	}

	void profile(String userId, Profile profile) {
		command(new UserCommand.UpsertProfile(1, TestEvents.TENANT, userId, this.now, profile));
	}

	void preferences(String userId, Preferences preferences) {
		command(new UserCommand.ReplacePreferences(1, TestEvents.TENANT, userId, this.now, preferences));
	}

	void device(String userId, String token) {
		command(new UserCommand.RegisterDevice(1, TestEvents.TENANT, userId, this.now,
				new Device(Device.Platform.IOS, token, "app", this.now)));
	}

	void subscribe(String tenant, String userId, String topic) {
		command(new UserCommand.Subscribe(1, tenant, userId, this.now, topic));
	}

	/**
	 * A user with every contact point: email, phone and one device.
	 * @return this driver
	 */
	RoutingDriver reachableUser(String userId) {
		profile(userId, new Profile(userId + "@example.com", "+4915100000001", "en", "Europe/Berlin"));
		device(userId, "token-" + userId + "-0123456789abcdef");
		return this;
	}

	/** An event keyed as ingestion writes it. */
	void event(EventAccepted event) {
		event(PartitionKeys.eventLog(event), event);
	}

	/** An event with the given key (the driver reads every record from partition 0). */
	void event(String key, EventAccepted event) {
		this.events.pipeInput(key, event, event.acceptedAt());
	}

	/** An event record carrying a W3C trace context. */
	void event(EventAccepted event, String traceparent) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(HeaderNames.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
		this.events.pipeInput(new TestRecord<>(PartitionKeys.eventLog(event), event, headers, event.acceptedAt()));
	}

	/**
	 * The cancellation of an event, written as ingestion writes it: under the event's
	 * key, now.
	 */
	void cancel(EventAccepted event) {
		cancel(PartitionKeys.eventLog(event), EventCancelled.of(event, this.now, EventCancelled.BY_API));
	}

	/** A cancellation under a key, with its CloudEvents type. */
	void cancel(String key, EventCancelled cancellation) {
		RecordHeaders headers = new RecordHeaders();
		HeaderNames.addCloudEvent(headers, cancellation.eventId(), EventCancelled.CLOUD_EVENT_TYPE, "/herald/ingestion",
				cancellation.cancelledAt(), null);
		this.cancellations.pipeInput(new TestRecord<>(key, cancellation, headers, this.now));
	}

	/** The digests of the task, open or just gone out. */
	long digests() {
		return count(this.driver.getKeyValueStore(RoutingStores.DIGESTS));
	}

	/**
	 * How many deliveries are held, and how many index entries point at them; released
	 * ones not yet settled are not held.
	 */
	long[] held() {
		return new long[] { count(this.driver.getKeyValueStore(RoutingStores.HELD), false),
				count(this.driver.getKeyValueStore(RoutingStores.HELD_BY_EVENT)) };
	}

	/** A user's digest of a pattern, open or just gone out, or null. */
	@Nullable PendingDigest digest(String userId, String pattern) {
		org.apache.kafka.streams.state.KeyValueStore<String, PendingDigest> digests = this.driver
			.getKeyValueStore(RoutingStores.DIGESTS);
		return digests.get(PendingDigest.key(TestEvents.TENANT, userId, pattern));
	}

	/** How many held deliveries were released and have not settled. */
	long released() {
		return count(this.driver.getKeyValueStore(RoutingStores.HELD), true);
	}

	private static long count(org.apache.kafka.streams.state.KeyValueStore<String, ?> store) {
		long entries = 0;
		try (KeyValueIterator<String, ?> all = store.all()) {
			while (all.hasNext()) {
				all.next();
				entries++;
			}
		}
		return entries;
	}

	private static long count(org.apache.kafka.streams.state.KeyValueStore<String, ?> store, boolean released) {
		long entries = 0;
		try (KeyValueIterator<String, ?> all = store.all()) {
			while (all.hasNext()) {
				if (HeldDelivery.isReleased(all.next().key) == released) {
					entries++;
				}
			}
		}
		return entries;
	}

	void raw(String topic, String key, byte[] value) {
		this.raw
			.computeIfAbsent(topic,
					(name) -> this.driver.createInputTopic(name, new StringSerializer(), new ByteArraySerializer()))
			.pipeInput(key, value, this.now);
	}

	/**
	 * Every delivery request written to a lane since the last call (retractions are kept
	 * apart).
	 */
	List<TestRecord<String, DeliverNotification>> lane(Channel channel, Lane lane) {
		List<TestRecord<String, DeliverNotification>> requests = new ArrayList<>();
		for (TestRecord<String, byte[]> record : this.lanes.get(channel).get(lane).readRecordsToList()) {
			if (RetractNotification.isRetraction(record.headers())) {
				this.retractions.add(new TestRecord<>(record.key(), RetractNotification.CODEC.decode(record.value()),
						record.headers(), record.getRecordTime()));
			}
			else {
				requests
					.add(new TestRecord<>(record.key(), Topics.deliver(channel, lane).codec().decode(record.value()),
							record.headers(), record.getRecordTime()));
			}
		}
		return requests;
	}

	/**
	 * Every notification written to any lane since the last call, a batch's one per user.
	 */
	List<DeliverNotification> deliveries() {
		List<DeliverNotification> all = new ArrayList<>();
		for (Channel channel : Channel.values()) {
			for (Lane lane : Lane.values()) {
				lane(channel, lane).forEach((record) -> all.addAll(record.value().perUser()));
			}
		}
		return all;
	}

	/** Every retraction written to an in-app lane since the last call, with its lane. */
	List<TestRecord<String, RetractNotification>> retractions() {
		for (Lane lane : Lane.values()) {
			lane(Channel.INAPP, lane);
		}
		List<TestRecord<String, RetractNotification>> taken = new ArrayList<>(this.retractions);
		this.retractions.clear();
		return taken;
	}

	/** Every status since the last call, a batch's one per user. */
	List<StatusReported> statuses() {
		List<StatusReported> all = new ArrayList<>();
		this.statuses.readValuesToList().forEach((record) -> all.addAll(record.perUser()));
		return all;
	}

	/** Every status record since the last call, with its headers. */
	List<TestRecord<String, StatusReported>> statusRecords() {
		return this.statuses.readRecordsToList();
	}

	/** How many entries the dedup store holds. */
	long dedupEntries() {
		WindowStore<String, Long> store = this.driver.getWindowStore(RoutingStores.DEDUP);
		long entries = 0;
		try (KeyValueIterator<Windowed<String>, Long> all = store.all()) {
			while (all.hasNext()) {
				all.next();
				entries++;
			}
		}
		return entries;
	}

	List<TestRecord<byte[], byte[]>> deadLetters(String topic) {
		return this.driver
			.createOutputTopic(Topics.deadLetter(topic), new ByteArrayDeserializer(), new ByteArrayDeserializer())
			.readRecordsToList();
	}

	@Override
	public void close() {
		this.driver.close();
		this.tracing.close();
	}

	private static Path tempDirectory() {
		try {
			return Files.createTempDirectory("routing-ttd-");
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
