package io.herald.delivery.dispatch;

import io.herald.delivery.DeliveryIntegrationTest;
import io.herald.delivery.Lanes;
import io.herald.delivery.TwilioAccounts;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.infra.RedisServer;
import io.herald.infra.SharedInfra;
import io.herald.infra.TopicContents;
import io.herald.infra.sandbox.TwilioMessage;
import io.herald.infra.sandbox.TwilioSandbox;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away while a batch of a retry topic holds a request that is not due yet: the
 * batch fails, the container's error handler hands it to the lane again once Redis is
 * back, and the committed offset still stops at the request that is not due. A consumer
 * that takes the partition over, after a crash or a rebalance, starts there: the request
 * is not lost.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RetryLaneOutageIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/**
	 * Long enough to outlast the outage and the batch handled again, short enough to wait
	 * for.
	 */
	private static final Duration NOT_DUE_FOR = Duration.ofSeconds(20);

	private static final Topic<DeliverNotification> LANE = Topics.deliver(Channel.SMS, Lane.PRIORITY);

	private static final String GROUP = LaneConsumers.groupId(Channel.SMS, Lane.PRIORITY, true);

	private static final RedisServer redis = RedisServer.builder().build().start();

	private static final TwilioSandbox twilio = TwilioSandbox.start();

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> SharedInfra.kafka().bootstrapServers());
		registry.add("spring.data.redis.port", redis::port);
		TwilioAccounts.register(registry, 0, "twilio", twilio);
	}

	@AfterAll
	static void close() {
		twilio.close();
		redis.close();
	}

	@Test
	void aRetryNotDueYetStaysUncommittedWhenItsBatchFailsAndIsHandledAgain() throws Exception {
		String user = "u-" + UUID.randomUUID();
		String phone = "+49151" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
		String topic = Topics.retry(LANE, 1);
		long failures = batchFailures();
		List<RecordMetadata> written;
		// The batch of both requests fails: the due one cannot be claimed in the ledger.
		redis.stop();
		try {
			written = writeTogether(retry(topic, user, phone, "e-due", Instant.now()),
					retry(topic, user, phone, "e-later", Instant.now().plus(NOT_DUE_FOR)));
			await().atMost(TIMEOUT).until(() -> batchFailures() > failures);
		}
		finally {
			redis.start();
		}
		TopicPartition partition = new TopicPartition(topic, written.get(1).partition());
		long later = written.get(1).offset();

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(texts(phone)).containsExactly("e-due"));
		await().atMost(TIMEOUT).until(() -> committed(partition) >= later);
		// The commit is read before the texts: a commit past the later request with no
		// text for it skipped it.
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
			long committed = committed(partition);
			if (committed > later) {
				assertThat(texts(phone)).as("committed past a request that was not sent").contains("e-later");
			}
		});

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(texts(phone)).containsExactly("e-due", "e-later"));
		await().atMost(TIMEOUT).until(() -> committed(partition) == later + 1);
	}

	/**
	 * A request on a retry topic as the dispatcher writes it, due at {@code notBefore}.
	 */
	private static ProducerRecord<String, byte[]> retry(String topic, String user, String phone, String eventId,
			Instant notBefore) {
		DeliverNotification notification = Lanes.notification(user, eventId, Priority.HIGH,
				new ChannelMessage.Sms(phone, eventId));
		RecordHeaders headers = new RecordHeaders();
		headers.add(HeaderNames.ATTEMPT, bytes("2"));
		headers.add(HeaderNames.NOT_BEFORE, bytes(Long.toString(notBefore.toEpochMilli())));
		headers.add(HeaderNames.ORIGINAL_TOPIC, bytes(LANE.name()));
		headers.add(HeaderNames.DLT_REASON, bytes("unavailable"));
		return new ProducerRecord<>(topic, null, notification.key(), LANE.codec().encode(notification), headers);
	}

	@SafeVarargs
	private static List<RecordMetadata> writeTogether(ProducerRecord<String, byte[]>... records) throws Exception {
		return TopicContents.writeTogether(SharedInfra.kafka().bootstrapServers(), records);
	}

	/**
	 * How often a batch of the retry topics failed, as the listener container counts it.
	 */
	private long batchFailures() {
		return DeliveryIntegrationTest.batchFailures(this.meters, GROUP);
	}

	/**
	 * The retry group's committed offset of a partition: where a consumer that takes it
	 * over starts.
	 */
	private static long committed(TopicPartition partition) throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers()))) {
			OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP)
				.partitionsToOffsetAndMetadata()
				.get()
				.get(partition);
			return (committed != null) ? committed.offset() : -1;
		}
	}

	private static List<String> texts(String phone) {
		return twilio.messages()
			.stream()
			.filter((message) -> message.to().equals(phone))
			.map(TwilioMessage::body)
			.toList();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
