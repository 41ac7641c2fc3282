package io.herald.gateway.inbox;

import io.herald.events.Channel;
import io.herald.events.Counts;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.HeaderNames;
import io.herald.events.JsonCodec;
import io.herald.events.Lane;
import io.herald.events.PartitionKeys;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.infra.SharedInfra;
import io.herald.infra.TopicContents;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The inbox writer against the shared broker and Redis. Every test uses its own tenant,
 * so its inboxes (Redis keys) and status records are its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "herald.gateway.inbox.max-length=600", "herald.kafka.partitions=4" })
@DirtiesContext
class InboxWriterIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static KafkaProducer<String, byte[]> routing;

	@Autowired
	private Inbox inbox;

	@Autowired
	private InboxStore store;

	@Autowired
	private InboxCursors cursors;

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private RedisConnectionFactory connections;

	@Autowired
	private MeterRegistry meters;

	private String tenant;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> SharedInfra.kafka().bootstrapServers());
		registry.add("spring.data.redis.port", () -> SharedInfra.redis().port());
	}

	@BeforeAll
	static void startRouting() {
		routing = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers(),
						ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
				new StringSerializer(), new ByteArraySerializer());
	}

	@AfterAll
	static void stopRouting() {
		routing.close();
	}

	@BeforeEach
	void newTenant() {
		this.tenant = "t-" + UUID.randomUUID();
	}

	@Test
	void notificationsAppearInTheUsersInboxInOrderFromSeqOne() {
		for (int i = 0; i < 3; i++) {
			deliver(Lane.PRIORITY, notification("u-1", i));
		}

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.inbox.since(this.tenant, "u-1", 0, 10))
				.extracting(InboxEntry::seq, (entry) -> entry.notification().title())
				.containsExactly(tuple(1L, "title 0"), tuple(2L, "title 1"), tuple(3L, "title 2")));
		assertThat(this.inbox.lastSeq(this.tenant, "u-1")).isEqualTo(3);
		assertThat(this.inbox.oldestSeq(this.tenant, "u-1")).isEqualTo(1);
		assertThat(this.inbox.since(this.tenant, "u-1", 2, 10)).extracting(InboxEntry::seq).containsExactly(3L);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.DELIVERED)).extracting(StatusReported::seq)
				.containsExactlyInAnyOrder(1L, 2L, 3L));
	}

	@Test
	void sameNotificationDeliveredTwiceIsAppendedOnceAndReportedWithItsSeqEachTime() {
		DeliverNotification first = notification("u-1", 0);
		deliver(Lane.PRIORITY, first);
		deliver(Lane.PRIORITY, first);
		deliver(Lane.PRIORITY, notification("u-1", 1));

		// Reported again, in case the first report was lost with a batch that failed
		// after appending.
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.DELIVERED)).extracting(StatusReported::seq)
				.containsExactlyInAnyOrder(1L, 1L, 2L));
		assertThat(
				this.meters.counter("herald.gateway.inbox.appends", "lane", "priority", "outcome", "duplicate").count())
			.isPositive();
		assertThat(this.inbox.since(this.tenant, "u-1", 0, 10))
			.extracting(InboxEntry::seq, (entry) -> entry.notification().id())
			.containsExactly(tuple(1L, first.notificationId()), tuple(2L, notification("u-1", 1).notificationId()));
	}

	@Test
	void everyAppendIsSentWithItsSeqToTheNodesThatHoldTheUsersConnections() throws Exception {
		List<String> messages = new CopyOnWriteArrayList<>();
		AutoCloseable container = listenToLiveChannel("u-1", messages);
		try {
			deliver(Lane.PRIORITY, notification("u-1", 0));
			deliver(Lane.PRIORITY, notification("u-1", 1));

			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(messages).hasSize(2));
			// The listener container hands messages to its listeners on an executor, so
			// they may arrive here in either order: find the second append by its seq.
			List<JsonNode> published = messages.stream()
				.map((message) -> (LiveMessage.Notification) LiveMessage.parse(message))
				.map((notification) -> JsonCodec.MAPPER.readTree(notification.frame()))
				.toList();
			assertThat(published).extracting((message) -> message.get("seq").longValue())
				.containsExactlyInAnyOrder(1L, 2L);
			JsonNode second = published.stream()
				.filter((message) -> message.get("seq").longValue() == 2)
				.findFirst()
				.orElseThrow();
			assertThat(second.get("type").stringValue()).isEqualTo("notification");
			assertThat(second.get("title").stringValue()).isEqualTo("title 1");
			assertThat(second.get("id").stringValue()).isEqualTo(notification("u-1", 1).notificationId());
			assertThat(this.meters.get("herald.gateway.inbox.append.delay").timer().count()).isPositive();
		}
		finally {
			container.close();
		}
	}

	@Test
	void aNotificationAppendedAgainIsSentAgainWithItsSeqForASessionThatMayHaveMissedIt() throws Exception {
		List<String> messages = new CopyOnWriteArrayList<>();
		AutoCloseable container = listenToLiveChannel("u-1", messages);
		try {
			append("u-1", 1, 1);
			this.store.append(List.of(new InboxStore.Append(this.tenant, "u-1", "n-1",
					"{\"id\":\"n-1\",\"title\":\"title 1\",\"body\":\"body 1\"}", null)));

			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(messages).hasSize(2));
			List<LiveMessage.Notification> sent = messages.stream()
				.map((message) -> (LiveMessage.Notification) LiveMessage.parse(message))
				.toList();
			assertThat(sent).extracting(LiveMessage.Notification::seq).containsExactly(1L, 1L);
			assertThat(sent).extracting(LiveMessage.Notification::frame).containsOnly(sent.get(0).frame());
			assertThat(sent).extracting((notification) -> notification.appendedAtMs() > 0)
				.containsExactlyInAnyOrder(true, false);
		}
		finally {
			container.close();
		}
	}

	@Test
	void theDeliveredStatusAndTheLiveMessageContinueTheLaneRecordsTraceWithTheSpanOfTheAppend() throws Exception {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		String parentId = "00f067aa0ba902b7";
		List<String> messages = new CopyOnWriteArrayList<>();
		AutoCloseable container = listenToLiveChannel("u-1", messages);
		try {
			DeliverNotification notification = notification("u-1", 0);
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(
					Topics.deliver(Channel.INAPP, Lane.PRIORITY).name(), notification.key(),
					Topics.deliver(Channel.INAPP, Lane.PRIORITY).codec().encode(notification));
			record.headers()
				.add(HeaderNames.TRACEPARENT,
						("00-" + traceId + "-" + parentId + "-01").getBytes(StandardCharsets.UTF_8));
			routing.send(record);

			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(messages).hasSize(1));
			LiveMessage.Notification live = (LiveMessage.Notification) LiveMessage.parse(messages.get(0));
			assertThat(live.traceparent()).matches("00-" + traceId + "-[0-9a-f]{16}-01").doesNotContain(parentId);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(readAll(Topics.STATUS.name()).stream()
					.filter((status) -> status.key().equals(PartitionKeys.event(this.tenant, notification.eventId())))
					.map((status) -> HeaderNames.lastValue(status.headers(), HeaderNames.TRACEPARENT))
					.toList()).singleElement().isEqualTo(live.traceparent()));
		}
		finally {
			container.close();
		}
	}

	@Test
	void usersGetIndependentSeqs() {
		deliver(Lane.PRIORITY, notification("u-1", 0));
		deliver(Lane.PRIORITY, notification("u-2", 0));
		deliver(Lane.PRIORITY, notification("u-2", 1));
		deliver(Lane.BULK, notification("u-3", 0));
		deliver(Lane.PRIORITY, notification("u-1", 1));
		deliver(Lane.PRIORITY, notification("u-2", 2));

		await().atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(this.inbox.since(this.tenant, "u-1", 0, 10)).extracting(InboxEntry::seq).containsExactly(1L, 2L);
			assertThat(this.inbox.since(this.tenant, "u-2", 0, 10)).extracting(InboxEntry::seq)
				.containsExactly(1L, 2L, 3L);
			assertThat(this.inbox.since(this.tenant, "u-3", 0, 10)).extracting(InboxEntry::seq).containsExactly(1L);
		});
	}

	@Test
	void manyNotificationsForOneUserGetGaplessSeqsInPublishOrder() {
		for (int i = 0; i < 500; i++) {
			deliver(Lane.BULK, notification("u-main", i));
			deliver((i % 2 == 0) ? Lane.PRIORITY : Lane.BULK, notification("u-other-" + (i % 7), i));
		}
		routing.flush();

		await().atMost(TIMEOUT).until(() -> this.inbox.lastSeq(this.tenant, "u-main") == 500);
		List<InboxEntry> entries = this.inbox.since(this.tenant, "u-main", 0, 1000);
		assertThat(entries).extracting(InboxEntry::seq)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, 500).boxed().toList());
		for (InboxEntry entry : entries) {
			assertThat(entry.notification().title()).isEqualTo("title " + (entry.seq() - 1));
		}
	}

	@Test
	void historyIsTrimmedAtMaxLength() {
		for (int i = 0; i < 650; i++) {
			deliver(Lane.BULK, notification("u-1", i));
		}
		routing.flush();

		await().atMost(TIMEOUT).until(() -> this.inbox.lastSeq(this.tenant, "u-1") == 650);
		assertThat(this.inbox.oldestSeq(this.tenant, "u-1")).isEqualTo(51);
		List<InboxEntry> entries = this.inbox.since(this.tenant, "u-1", 0, 1000);
		assertThat(entries).hasSize(600);
		assertThat(entries.get(0).seq()).isEqualTo(51);
		assertThat(entries.get(0).notification().title()).isEqualTo("title 50");
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		// The ids of the 50 trimmed seconds ago stay for the deduplication window.
		assertThat(this.redis.opsForHash().size(keys.ids())).isEqualTo(650);
		assertThat(this.redis.opsForZSet().size(keys.trimmed())).isEqualTo(50);
		assertThat(this.redis.getExpire(keys.trimmed())).isPositive();
		assertThat(this.redis.getExpire(keys.stream())).isPositive();
		// The counter expires too, but only after it outlived every entry it numbered.
		assertThat(this.redis.getExpire(keys.seq())).isGreaterThan(Duration.ofDays(30).toSeconds());
	}

	@Test
	void poisonRecordGoesToTheDeadLetterTopicAndThePartitionMovesOn() {
		String key = PartitionKeys.user(this.tenant, "u-1");
		String marker = "poison-" + UUID.randomUUID();
		String priority = Topics.deliver(Channel.INAPP, Lane.PRIORITY).name();
		routing.send(new ProducerRecord<>(priority, key,
				("{\"schemaVersion\": 99, \"marker\": \"" + marker + "\"}").getBytes(StandardCharsets.UTF_8)));
		routing.send(new ProducerRecord<>(priority, key, ("not json " + marker).getBytes(StandardCharsets.UTF_8)));
		deliver(Lane.PRIORITY, notification("u-1", 0));

		await().atMost(TIMEOUT).until(() -> this.inbox.lastSeq(this.tenant, "u-1") == 1);
		await().atMost(TIMEOUT).untilAsserted(() -> {
			List<ConsumerRecord<String, byte[]>> deadLetters = readAll(Topics.deadLetter(priority)).stream()
				.filter((record) -> new String(record.value(), StandardCharsets.UTF_8).contains(marker))
				.toList();
			assertThat(deadLetters).hasSize(2).allSatisfy((record) -> {
				assertThat(record.key()).isEqualTo(key);
				assertThat(HeaderNames.lastValue(record.headers(), "kafka_dlt-original-topic")).isEqualTo(priority);
			});
			assertThat(deadLetters)
				.extracting((record) -> HeaderNames.lastValue(record.headers(), HeaderNames.DLT_REASON))
				.containsExactly("unsupported_schema_version", "malformed_json");
		});
	}

	@Test
	void expiredNotificationIsNotAppendedAndReportedExpired() {
		Instant past = Instant.now().minusSeconds(60);
		DeliverNotification expired = notification("u-1", 0, past);
		deliver(Lane.PRIORITY, expired);
		deliver(Lane.PRIORITY, notification("u-1", 1, Instant.now().plusSeconds(3600)));

		await().atMost(TIMEOUT).untilAsserted(() -> {
			List<StatusReported> reported = statuses(DeliveryState.EXPIRED);
			assertThat(reported).singleElement().satisfies((status) -> {
				assertThat(status.eventId()).isEqualTo(expired.eventId());
				assertThat(status.reason()).isEqualTo("expires_at");
				assertThat(status.channel()).isEqualTo(Channel.INAPP);
			});
		});
		await().atMost(TIMEOUT).until(() -> this.inbox.lastSeq(this.tenant, "u-1") == 1);
		assertThat(this.inbox.since(this.tenant, "u-1", 0, 10)).singleElement()
			.satisfies((entry) -> assertThat(entry.notification().title()).isEqualTo("title 1"));
	}

	@Test
	void aBatchRecordAppendsItsNotificationToEveryUsersInboxUnderEachUsersOwnId() {
		deliver(Lane.BULK, notification("u-2", 0));
		// Another partition's record: the batch follows once it is in.
		await().atMost(TIMEOUT).until(() -> this.inbox.lastSeq(this.tenant, "u-2") == 1);
		DeliverNotification first = notification("u-1", 7);
		DeliverNotification batch = DeliverNotification.batch(first, List.of("u-1", "u-2", "u-3"));
		deliver(Lane.BULK, batch);

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.DELIVERED))
				.extracting(StatusReported::userId, StatusReported::seq)
				.containsExactlyInAnyOrder(tuple("u-2", 1L), tuple("u-1", 1L), tuple("u-2", 2L), tuple("u-3", 1L)));
		for (DeliverNotification one : batch.perUser()) {
			assertThat(this.inbox.since(this.tenant, one.userId(), 0, 10)).last().satisfies((entry) -> {
				assertThat(entry.notification().id())
					.isEqualTo(DeliverNotification.notificationId(first.eventId(), one.userId(), Channel.INAPP));
				assertThat(entry.notification().title()).isEqualTo("title 7");
			});
		}
		// The batch's three deliveries are reported in one record, and counted as three.
		assertThat(statusRecords(DeliveryState.DELIVERED)).filteredOn(StatusReported::manyUsers)
			.singleElement()
			.satisfies((status) -> assertThat(status.eventId()).isEqualTo(first.eventId()));
		assertThat(this.meters.get("herald.funnel")
			.tag("tenant", this.tenant)
			.tag("outcome", "appended")
			.counter()
			.count()).isEqualTo(4);
	}

	@Test
	void aBatchRecordReadAgainAppendsNothingTwice() {
		DeliverNotification batch = DeliverNotification.batch(notification("u-1", 0), List.of("u-1", "u-2"));
		deliver(Lane.BULK, batch);
		deliver(Lane.BULK, batch);
		await().atMost(TIMEOUT).until(() -> statuses(DeliveryState.DELIVERED).size() == 4);
		deliver(Lane.BULK, notification("u-2", 1));

		await().atMost(TIMEOUT).until(() -> this.inbox.lastSeq(this.tenant, "u-2") == 2);
		assertThat(this.inbox.since(this.tenant, "u-2", 0, 10)).extracting((entry) -> entry.notification().title())
			.containsExactly("title 0", "title 1");
		assertThat(this.inbox.since(this.tenant, "u-1", 0, 10)).hasSize(1);
		assertThat(this.meters.counter("herald.gateway.inbox.appends", "lane", "bulk", "outcome", "duplicate").count())
			.isGreaterThanOrEqualTo(2);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.DELIVERED))
				.extracting(StatusReported::userId, StatusReported::seq)
				.containsExactlyInAnyOrder(tuple("u-1", 1L), tuple("u-2", 1L), tuple("u-1", 1L), tuple("u-2", 1L),
						tuple("u-2", 2L)));
	}

	@Test
	void aNotificationAppendedBeforeItsReportWasLostIsReportedDeliveredWhenReadAgain() {
		DeliverNotification notification = notification("u-1", 0);
		// As a batch that failed after its appends (a Redis timeout, a crash) left it.
		this.store.append(List.of(new InboxStore.Append(this.tenant, "u-1", notification.notificationId(),
				"{\"id\":\"" + notification.notificationId() + "\",\"title\":\"title 0\",\"body\":\"body 0\"}", null)));

		deliver(Lane.PRIORITY, notification);

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.DELIVERED))
				.extracting(StatusReported::userId, StatusReported::seq)
				.containsExactly(tuple("u-1", 1L)));
		assertThat(this.inbox.lastSeq(this.tenant, "u-1")).isEqualTo(1);
	}

	@Test
	void aPollOfMoreAppendsThanOnePipelineHoldsAppendsThemAll() {
		int users = InboxStore.MAX_PIPELINE * 2 + 500;
		List<String> ids = IntStream.range(0, users).mapToObj((n) -> "u-" + n).toList();
		for (int from = 0; from < users; from += 500) {
			List<String> part = ids.subList(from, from + 500);
			deliver(Lane.BULK, DeliverNotification.batch(notification(part.get(0), 0), part));
		}

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(statuses(DeliveryState.DELIVERED)).hasSize(users));
		assertThat(ids).allSatisfy((user) -> assertThat(this.inbox.lastSeq(this.tenant, user)).isEqualTo(1));
	}

	@Test
	void appendsOfManyUsersInOneScriptCallKeepEachUsersOrderAndAppendEachNotificationOnce() {
		// More than one call holds, users interleaved, and each user's first notification
		// again within the same call as its first append.
		int rounds = InboxStore.MAX_APPENDS_PER_CALL;
		List<InboxStore.Append> appends = new java.util.ArrayList<>();
		for (int n = 0; n < rounds; n++) {
			for (String user : List.of("u-1", "u-2", "u-3")) {
				appends.add(new InboxStore.Append(this.tenant, user, user + "-n-" + n,
						"{\"id\":\"" + user + "-n-" + n + "\"}", null));
				if (n == 0) {
					appends.add(new InboxStore.Append(this.tenant, user, user + "-n-0", "{\"id\":\"" + user + "-n-0\"}",
							null));
				}
			}
		}

		List<AppendResult> results = this.store.append(appends);

		assertThat(results).hasSize(appends.size());
		assertThat(results.subList(0, 6)).containsExactly(new AppendResult(1, true), new AppendResult(1, false),
				new AppendResult(1, true), new AppendResult(1, false), new AppendResult(1, true),
				new AppendResult(1, false));
		assertThat(results.subList(6, results.size())).allSatisfy((result) -> assertThat(result.appended()).isTrue());
		for (String user : List.of("u-1", "u-2", "u-3")) {
			assertThat(this.inbox.since(this.tenant, user, 0, 1000))
				.extracting(InboxEntry::seq, (entry) -> entry.notification().id())
				.containsExactlyElementsOf(
						IntStream.range(0, rounds).mapToObj((n) -> tuple((long) n + 1, user + "-n-" + n)).toList());
		}
		// Appended again, all of them: nothing changes, every seq is the same.
		assertThat(this.store.append(appends)).extracting(AppendResult::seq)
			.containsExactlyElementsOf(results.stream().map(AppendResult::seq).toList());
		assertThat(this.inbox.lastSeq(this.tenant, "u-1")).isEqualTo(rounds);
	}

	@Test
	void anExpiredBatchIsAppendedForNobodyAndReportedExpiredForEveryone() {
		DeliverNotification batch = DeliverNotification.batch(notification("u-1", 0, Instant.now().minusSeconds(60)),
				List.of("u-1", "u-2", "u-3"));
		deliver(Lane.BULK, batch);

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.EXPIRED))
				.extracting(StatusReported::userId, StatusReported::reason)
				.containsExactlyInAnyOrder(tuple("u-1", "expires_at"), tuple("u-2", "expires_at"),
						tuple("u-3", "expires_at")));
		assertThat(batch.perUser())
			.allSatisfy((one) -> assertThat(this.inbox.lastSeq(this.tenant, one.userId())).isZero());
	}

	@Test
	void everyStatusOfACountedBatchNamesItsCountAppendedReadAgainOrExpired() {
		List<String> users = List.of("u-1", "u-2", "u-3");
		DeliverNotification first = notification("u-1", 0);
		String count = Counts.id(first.eventId(), Channel.INAPP, users);
		DeliverNotification batch = DeliverNotification.batch(first, users, count);
		deliver(Lane.BULK, batch);
		deliver(Lane.BULK, batch);
		DeliverNotification expiredFirst = notification("u-4", 1, Instant.now().minusSeconds(60));
		String expiredCount = Counts.id(expiredFirst.eventId(), Channel.INAPP, List.of("u-4", "u-5"));
		deliver(Lane.BULK, DeliverNotification.batch(expiredFirst, List.of("u-4", "u-5"), expiredCount));

		// Appended, and appended already when read again: each names the count its
		// queued was in (docs/adr/037), so the status view moves it out of the count.
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.DELIVERED))
				.extracting(StatusReported::userId, StatusReported::countedAs)
				.containsExactlyInAnyOrder(tuple("u-1", count), tuple("u-2", count), tuple("u-3", count),
						tuple("u-1", count), tuple("u-2", count), tuple("u-3", count)));
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.EXPIRED))
				.extracting(StatusReported::userId, StatusReported::countedAs)
				.containsExactlyInAnyOrder(tuple("u-4", expiredCount), tuple("u-5", expiredCount)));
		assertThat(statusRecords(DeliveryState.DELIVERED)).filteredOn(StatusReported::manyUsers)
			.allSatisfy((record) -> assertThat(record.countedAs()).isEqualTo(count));
	}

	@Test
	void anInboxWhoseCounterWasDeletedWithoutItsHistoryGoesOnAfterItsLastSeq() {
		// What deleting an inbox's keys one at a time (a SCAN and DELs of a tenant's
		// keys)
		// can leave: a history whose last seq is far above a counter that starts again.
		// Every append failed on the history's last seq, and the lane partition waited
		// behind it, until the failed appends had counted past that seq.
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		writeEntry(keys, 1_000_000, System.currentTimeMillis(), "{\"id\":\"n-1000000\",\"title\":\"kept\"}");
		// The cursors kept, with TTLs refreshed a moment ago.
		this.redis.opsForHash().put(keys.cursors(), "x", Long.toString(System.currentTimeMillis()));

		deliver(Lane.PRIORITY, notification("u-1", 1));
		deliver(Lane.PRIORITY, notification("u-1", 2));

		await().atMost(TIMEOUT).until(() -> this.inbox.lastSeq(this.tenant, "u-1") == 1_000_002);
		assertThat(this.inbox.since(this.tenant, "u-1", 0, 10))
			.extracting(InboxEntry::seq, (entry) -> entry.notification().title())
			.containsExactly(tuple(1_000_000L, "kept"), tuple(1_000_001L, "title 1"), tuple(1_000_002L, "title 2"));
		// The counter the append created expires, as every key of an inbox does.
		assertThat(this.redis.getExpire(keys.seq())).isPositive();
	}

	@Test
	void anInboxWhoseCounterIsBehindItsHistoryGoesOnAfterItsLastSeq() {
		// A counter set back apart from its history (by hand, or restored from another
		// snapshot): the append moves on after the history's last seq instead of failing
		// on it.
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		append("u-1", 1, 3);
		this.redis.opsForValue().set(keys.seq(), "1");

		List<AppendResult> results = this.store.append(List.of(new InboxStore.Append(this.tenant, "u-1", "n-4",
				"{\"id\":\"n-4\",\"title\":\"title 4\",\"body\":\"body 4\"}", null)));

		assertThat(results).containsExactly(new AppendResult(4, true));
		assertThat(this.inbox.since(this.tenant, "u-1", 0, 10)).extracting(InboxEntry::seq)
			.containsExactly(1L, 2L, 3L, 4L);
		assertThat(this.redis.opsForHash().get(keys.ids(), "n-4")).isEqualTo("4");
	}

	@Test
	void anAppendThatFailsTakesBackItsSeqAndItsIdSoThatSeqsStayGapless() {
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		append("u-1", 1, 1);
		// A history Redis cannot append to: the key holds another type.
		this.redis.delete(keys.stream());
		this.redis.opsForValue().set(keys.stream(), "not a stream");
		InboxStore.Append second = new InboxStore.Append(this.tenant, "u-1", "n-2",
				"{\"id\":\"n-2\",\"title\":\"title 2\",\"body\":\"body 2\"}", null);

		assertThatThrownBy(() -> this.store.append(List.of(second))).isInstanceOf(DataAccessException.class);

		assertThat(this.redis.opsForValue().get(keys.seq())).isEqualTo("1");
		assertThat(this.redis.opsForHash().hasKey(keys.ids(), "n-2")).isFalse();
		this.redis.delete(keys.stream());
		assertThat(this.store.append(List.of(second))).containsExactly(new AppendResult(2, true));
	}

	@Test
	void erasingAUserDeletesTheirInboxAndOnlyTheirs() {
		deliver(Lane.PRIORITY, notification("u-1", 1));
		deliver(Lane.PRIORITY, notification("u-2", 1));
		await().atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(this.inbox.lastSeq(this.tenant, "u-1")).isEqualTo(1);
			assertThat(this.inbox.lastSeq(this.tenant, "u-2")).isEqualTo(1);
		});

		UserCommand erase = new UserCommand.EraseUser(UserCommand.SCHEMA_VERSION, this.tenant, "u-1", Instant.now());
		routing.send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), erase.key(),
				Topics.USER_COMMANDS.codec().encode(erase)));
		routing.send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), erase.key(),
				"not a command".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

		InboxKeys erased = InboxKeys.of(this.tenant, "u-1");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.redis.hasKey(erased.stream()) || this.redis.hasKey(erased.seq())
					|| this.redis.hasKey(erased.ids()) || this.redis.hasKey(erased.trimmed()))
				.isFalse());
		assertThat(this.inbox.since(this.tenant, "u-2", 0, 10)).hasSize(1);
		deliver(Lane.PRIORITY, notification("u-1", 2));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.inbox.lastSeq(this.tenant, "u-1")).isEqualTo(1));
	}

	@Test
	void notificationsOlderThanTheRetentionLeaveTheInboxWhenItIsRead() {
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		long now = System.currentTimeMillis();
		long monthsAgo = now - Duration.ofDays(40).toMillis();
		String json = JsonCodec.MAPPER.writeValueAsString(
				InboxNotification.of(notification("u-1", 0), new ChannelMessage.InApp("title", "body")));
		// More old entries than the trim reads at first (one, then eight, then more).
		for (long seq = 1; seq <= 30; seq++) {
			writeEntry(keys, seq, (seq < 30) ? monthsAgo : now, json);
		}
		this.redis.opsForValue().set(keys.seq(), "30");

		InboxState state = this.inbox.state(this.tenant, "u-1");

		assertThat(state.lastSeq()).isEqualTo(30);
		assertThat(state.oldestSeq()).isEqualTo(30);
		assertThat(state.unread()).isEqualTo(1);
		assertThat(this.inbox.since(this.tenant, "u-1", 0, 10)).extracting(InboxEntry::seq).containsExactly(30L);
		assertThat(this.redis.opsForHash().keys(keys.ids())).containsExactly("n-30");
		assertThat(state.lostHistoryAfter(0)).isTrue();
		assertThat(state.lostHistoryAfter(29)).isFalse();
	}

	@Test
	void anInboxOfAsManyOldEntriesAsOneReadTrimsReadsAsEmpty() {
		writeOldEntries(InboxKeys.of(this.tenant, "u-1"), 100);

		InboxState state = this.inbox.state(this.tenant, "u-1");

		assertThat(state.lastSeq()).isEqualTo(100);
		assertThat(state.oldestSeq()).isEqualTo(101);
		assertThat(state.unread()).isZero();
		assertThat(this.inbox.since(this.tenant, "u-1", 0, 10)).isEmpty();
	}

	@Test
	void aFullInboxLosesItsOldestEntryAtEveryAppendAndKeepsItsHeadBesideTheCursors() {
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		append("u-1", 1, 605);

		assertThat(this.inbox.lastSeq(this.tenant, "u-1")).isEqualTo(605);
		assertThat(this.inbox.oldestSeq(this.tenant, "u-1")).isEqualTo(6);
		assertThat(this.redis.opsForStream().size(keys.stream())).isEqualTo(600);
		assertThat(this.redis.opsForHash().size(keys.ids())).isEqualTo(605);
		assertThat(this.redis.opsForZSet().range(keys.trimmed(), 0, -1)).containsExactly("n-1", "n-2", "n-3", "n-4",
				"n-5");
		assertThat(this.redis.<String, String>opsForHash().get(keys.cursors(), "h")).isEqualTo("6");
	}

	@Test
	void aBurstLongerThanTheInboxDeliveredAgainAppendsNothingTwice() {
		// As a lane reads a batch again after a crash or a rebalance, once the burst
		// trimmed its head.
		List<DeliverNotification> burst = IntStream.range(0, 650).mapToObj((n) -> notification("u-1", n)).toList();
		burst.forEach((notification) -> deliver(Lane.BULK, notification));
		routing.flush();
		await().atMost(TIMEOUT).until(() -> this.inbox.lastSeq(this.tenant, "u-1") == 650);

		burst.forEach((notification) -> deliver(Lane.BULK, notification));
		deliver(Lane.BULK, notification("u-1", 650));
		routing.flush();

		await().atMost(TIMEOUT).until(() -> this.inbox.lastSeq(this.tenant, "u-1") == 651);
		assertThat(this.inbox.since(this.tenant, "u-1", 0, 1000)).extracting((entry) -> entry.notification().title())
			.containsExactlyElementsOf(IntStream.rangeClosed(51, 650).mapToObj((n) -> "title " + n).toList());
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(statuses(DeliveryState.DELIVERED)).hasSize(1301)
				.allSatisfy((status) -> assertThat(status.seq())
					.isEqualTo(Long.parseLong(status.eventId().substring(status.eventId().lastIndexOf('-') + 1)) + 1)));
	}

	@Test
	void aRetractionMadeBeforeOrOfWhatTheInboxDoesNotHoldTakesNoSeqChangesNothingAndSendsNothing() throws Exception {
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		List<String> messages = new CopyOnWriteArrayList<>();
		AutoCloseable container = listenToLiveChannel("u-1", messages);
		try {
			append("u-1", 1, 2);
			InboxStore.Retract first = new InboxStore.Retract(this.tenant, "u-1", "n-1", null);
			assertThat(this.store.retract(List.of(first))).containsExactly(new InboxStore.RetractResult(3, true));
			await().atMost(TIMEOUT).until(() -> messages.size() == 4);
			Map<String, String> stored = contents(keys);

			// Read again after a crash, beside one never appended and one of another
			// user's inbox.
			assertThat(this.store.retract(List.of(first, new InboxStore.Retract(this.tenant, "u-1", "n-never", null),
					new InboxStore.Retract(this.tenant, "u-2", "n-2", null))))
				.containsExactly(new InboxStore.RetractResult(3, false), new InboxStore.RetractResult(0, false),
						new InboxStore.RetractResult(0, false));

			assertThat(contents(keys)).isEqualTo(stored);
			assertThat(this.redis.hasKey(InboxKeys.of(this.tenant, "u-2").stream())).isFalse();
			// The next append's live message follows whatever the retractions would have
			// sent.
			append("u-1", 3, 3);
			await().atMost(TIMEOUT).until(() -> described(messages).contains("notification 4"));
			assertThat(described(messages)).containsExactlyInAnyOrder("notification 1", "notification 2", "retracted 3",
					"unread", "notification 4");
		}
		finally {
			container.close();
		}
	}

	@Test
	void trimmingDropsTheHiddenSeqsOfWhatItTrimsSoThatSetNeverOutgrowsTheInbox() {
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		append("u-1", 1, 3);
		this.store.retract(List.of(new InboxStore.Retract(this.tenant, "u-1", "n-1", null),
				new InboxStore.Retract(this.tenant, "u-1", "n-2", null)));
		assertThat(this.redis.opsForZSet().range(keys.hidden(), 0, -1)).containsExactly("1", "2", "4", "5");

		// Seqs 6 to 602: the appends trim seqs 1 and 2 (600 kept).
		append("u-1", 4, 600);
		assertThat(this.redis.opsForZSet().range(keys.hidden(), 0, -1)).containsExactly("4", "5");

		// Seqs 603 to 607: the retractions' own seqs go too.
		append("u-1", 601, 605);
		InboxState state = this.inbox.state(this.tenant, "u-1");
		assertThat(state.oldestSeq()).isEqualTo(8);
		assertThat(this.redis.opsForZSet().size(keys.hidden())).isZero();
		assertThat(state.unread()).isEqualTo(600);
		assertThat(this.redis.getExpire(keys.hidden())).isLessThanOrEqualTo(this.redis.getExpire(keys.stream()));
	}

	@Test
	void theIdsOfTrimmedNotificationsAreForgottenOnceOlderThanTheDeduplicationWindow() {
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		append("u-1", 1, 602);
		// As if n-1 had been appended an hour ago and n-2 just now.
		long hourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
		this.redis.opsForZSet().add(keys.trimmed(), "n-1", hourAgo);
		this.redis.opsForHash().put(keys.cursors(), "k", Long.toString(hourAgo));

		append("u-1", 603, 603);

		assertThat(this.redis.opsForHash().hasKey(keys.ids(), "n-1")).isFalse();
		assertThat(this.redis.opsForZSet().range(keys.trimmed(), 0, -1)).containsExactly("n-2", "n-3");
		assertThat(this.redis.<String, String>opsForHash().get(keys.cursors(), "k"))
			.isEqualTo(Long.toString(this.redis.opsForZSet().score(keys.trimmed(), "n-2").longValue()));
		assertThat(
				this.store.append(List.of(new InboxStore.Append(this.tenant, "u-1", "n-2", "{\"id\":\"n-2\"}", null))))
			.containsExactly(new AppendResult(2, false));
		// Past the window, a notification is long delivered; one read again then is
		// appended anew.
		assertThat(
				this.store.append(List.of(new InboxStore.Append(this.tenant, "u-1", "n-1", "{\"id\":\"n-1\"}", null))))
			.containsExactly(new AppendResult(604, true));
	}

	@Test
	void anInboxWithoutAKnownHeadIsTrimmedByItsStreamAndKnowsItsHeadAgain() {
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		append("u-1", 1, 605);
		// As an inbox written before the head was kept, or after a read trimmed it.
		this.redis.opsForHash().delete(keys.cursors(), "h", "ht");

		append("u-1", 606, 607);

		assertThat(this.inbox.oldestSeq(this.tenant, "u-1")).isEqualTo(8);
		assertThat(this.redis.opsForHash().size(keys.ids())).isEqualTo(607);
		assertThat(this.redis.opsForZSet().size(keys.trimmed())).isEqualTo(7);
		assertThat(this.redis.<String, String>opsForHash().get(keys.cursors(), "h")).isEqualTo("8");
	}

	@Test
	void anAppendTrimsEntriesOlderThanTheRetentionFromTheHeadItKeeps() {
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		long monthsAgo = writeOldEntries(keys, 20);
		this.redis.opsForHash().putAll(keys.cursors(), Map.of("h", "1", "ht", Long.toString(monthsAgo)));

		append("u-1", 21, 21);

		assertThat(this.inbox.oldestSeq(this.tenant, "u-1")).isEqualTo(21);
		assertThat(this.redis.opsForHash().keys(keys.ids())).containsExactly("n-21");
		assertThat(this.redis.<String, String>opsForHash().get(keys.cursors(), "h")).isEqualTo("21");
	}

	@Test
	void theInboxsTtlsAreRefreshedAtMostOncePerIntervalAndAlwaysOutlastTheirBounds() {
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		long retention = Duration.ofDays(30).toSeconds();
		long refresh = Duration.ofHours(1).toSeconds();
		append("u-1", 1, 1);
		assertThat(this.redis.getExpire(keys.stream())).isBetween(retention, retention + refresh);
		assertThat(this.redis.getExpire(keys.ids())).isBetween(retention, retention + refresh);
		assertThat(this.redis.getExpire(keys.seq())).isBetween(2 * retention, 2 * retention + refresh);
		assertThat(this.redis.getExpire(keys.cursors())).isBetween(2 * retention, 2 * retention + refresh);

		// Within the interval, an append leaves the TTLs alone...
		this.redis.expire(keys.stream(), Duration.ofDays(31));
		append("u-1", 2, 2);
		assertThat(this.redis.getExpire(keys.stream())).isGreaterThan(retention + refresh);

		// ...and once it passed, sets them all again.
		this.redis.opsForHash().put(keys.cursors(), "x", "0");
		append("u-1", 3, 3);
		assertThat(this.redis.getExpire(keys.stream())).isBetween(retention, retention + refresh);
		assertThat(this.inbox.since(this.tenant, "u-1", 0, 10)).extracting(InboxEntry::seq).containsExactly(1L, 2L, 3L);
	}

	@Test
	void aCursorMovedSoonAfterAnAppendLeavesTheTtlsItSetAndSetsThemOnceTheIntervalPassed() {
		InboxKeys keys = InboxKeys.of(this.tenant, "u-1");
		long counterTtl = Duration.ofDays(60).toSeconds();
		long refresh = Duration.ofHours(1).toSeconds();
		append("u-1", 1, 2);
		this.redis.expire(keys.seq(), Duration.ofSeconds(counterTtl + 100));
		this.redis.expire(keys.cursors(), Duration.ofSeconds(counterTtl + 100));

		// An ack right after the append: the TTLs it set still outlast the counter's.
		assertThat(this.cursors.advance(this.tenant, "u-1", InboxCursors.Cursor.ACK, 1).moved()).isTrue();
		assertThat(this.redis.getExpire(keys.seq())).isBetween(counterTtl + 50, counterTtl + 100);
		assertThat(this.redis.getExpire(keys.cursors())).isBetween(counterTtl + 50, counterTtl + 100);

		// Once the interval passed, a move sets them again, and leaves the history's to
		// the
		// appends.
		this.redis.opsForHash().put(keys.cursors(), "x", "0");
		assertThat(this.cursors.advance(this.tenant, "u-1", InboxCursors.Cursor.READ, 2).moved()).isTrue();
		assertThat(this.redis.getExpire(keys.seq())).isBetween(counterTtl + refresh - 60, counterTtl + refresh);
		assertThat(this.redis.getExpire(keys.cursors())).isBetween(counterTtl + refresh - 60, counterTtl + refresh);
		assertThat(this.redis.<String, String>opsForHash().get(keys.cursors(), "x")).isEqualTo("0");
	}

	/**
	 * Every key of an inbox by its name, with what it holds as {@code DUMP} serializes
	 * it.
	 */
	private Map<String, String> contents(InboxKeys keys) {
		Map<String, String> contents = new java.util.TreeMap<>();
		for (String key : keys.scriptKeys()) {
			byte[] dump = this.redis.dump(key);
			contents.put(key, (dump != null) ? java.util.HexFormat.of().formatHex(dump) : "none");
		}
		return contents;
	}

	/** Live messages as their frames' types, with the seq of those that have one. */
	private static List<String> described(List<String> messages) {
		return messages.stream().map((text) -> switch (LiveMessage.parse(text)) {
			case LiveMessage.Notification notification ->
				JsonCodec.MAPPER.readTree(notification.frame()).get("type").stringValue() + " " + notification.seq();
			case LiveMessage.Unread unread -> "unread";
			case LiveMessage.Erased erased -> "erased";
			case null -> "invalid " + text;
		}).toList();
	}

	/**
	 * Writes an inbox entry as the append script does (notification id {@code n-<seq>}),
	 * with the given append time, which no script could give it.
	 */
	private void writeEntry(InboxKeys keys, long seq, long appendedAt, String json) {
		this.redis.opsForStream()
			.add(StreamRecords.string(Map.of("id", "n-" + seq, "t", Long.toString(appendedAt), "n", json))
				.withStreamKey(keys.stream())
				.withId(RecordId.of(InboxKeys.entryId(seq))));
		this.redis.opsForHash().put(keys.ids(), "n-" + seq, Long.toString(seq));
	}

	/**
	 * Writes an inbox of {@code count} entries appended 40 days ago (past the retention),
	 * seqs 1 to {@code count}.
	 * @return when they were appended
	 */
	private long writeOldEntries(InboxKeys keys, int count) {
		long monthsAgo = System.currentTimeMillis() - Duration.ofDays(40).toMillis();
		for (long seq = 1; seq <= count; seq++) {
			writeEntry(keys, seq, monthsAgo, "{\"id\":\"n-" + seq + "\"}");
		}
		this.redis.opsForValue().set(keys.seq(), Integer.toString(count));
		return monthsAgo;
	}

	/**
	 * Appends notifications {@code n-from} to {@code n-to} to a user's inbox through the
	 * store.
	 */
	private void append(String user, int from, int to) {
		List<InboxStore.Append> appends = IntStream.rangeClosed(from, to)
			.mapToObj((n) -> new InboxStore.Append(this.tenant, user, "n-" + n,
					"{\"id\":\"n-" + n + "\",\"title\":\"title " + n + "\",\"body\":\"body " + n + "\"}", null))
			.toList();
		assertThat(this.store.append(appends)).allSatisfy((result) -> assertThat(result.appended()).isTrue());
	}

	private DeliverNotification notification(String user, int n) {
		return notification(user, n, null);
	}

	private DeliverNotification notification(String user, int n, @Nullable Instant expiresAt) {
		String eventId = "evt-" + user + "-" + n;
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, this.tenant, eventId,
				DeliverNotification.notificationId(eventId, user, Channel.INAPP), user, Priority.HIGH, "order.shipped",
				new ChannelMessage.InApp("title " + n, "body " + n), Map.of("n", n), Instant.now(), expiresAt);
	}

	private static void deliver(Lane lane, DeliverNotification notification) {
		routing.send(new ProducerRecord<>(Topics.deliver(Channel.INAPP, lane).name(), notification.key(),
				Topics.deliver(Channel.INAPP, lane).codec().encode(notification)));
	}

	/** This tenant's statuses of a state, a batch's one per user. */
	private List<StatusReported> statuses(DeliveryState state) {
		return statusRecords(state).stream().flatMap((status) -> status.perUser().stream()).toList();
	}

	/** This tenant's status records of a state, as written. */
	private List<StatusReported> statusRecords(DeliveryState state) {
		return readAll(Topics.STATUS.name()).stream()
			.map((record) -> Topics.STATUS.codec().decode(record.value()))
			.filter((status) -> status != null && status.tenant().equals(this.tenant) && status.state() == state)
			.toList();
	}

	/** Every record of a topic now in the log. */
	private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
		return TopicContents.readAll(SharedInfra.kafka().bootstrapServers(), topic);
	}

	/**
	 * Collects the live messages for a user that another gateway node would get, until
	 * the container is destroyed: the user holds a session of that node (a presence
	 * entry), and the node's channel is listened to.
	 */
	private AutoCloseable listenToLiveChannel(String userId, List<String> messages) {
		String node = "0123456789abcdef";
		this.redis.opsForZSet()
			.add(InboxKeys.of(this.tenant, userId).presence(), node + "." + UUID.randomUUID(), Long.MAX_VALUE);
		String prefix = this.tenant + " " + userId + " ";
		RedisClient client = RedisClient
			.create(RedisURI.create(SharedInfra.redis().host(), SharedInfra.redis().port()));
		StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
		connection.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void smessage(String channel, String message) {
				for (String line : message.split("\n")) {
					assertThat(line).startsWith(prefix);
					messages.add(line.substring(prefix.length()));
				}
			}
		});
		connection.sync().ssubscribe(GatewayNode.channel(node));
		return () -> {
			connection.close();
			client.shutdown();
		};
	}

}
