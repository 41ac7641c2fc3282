package io.herald.ingestion.webhook;

import io.herald.events.CallWebhook;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.Topics;
import io.herald.infra.KafkaBroker;
import io.herald.infra.RedisServer;
import io.herald.infra.TopicContents;
import io.herald.ingestion.IngestionApplication;
import io.herald.ingestion.TestApi;
import io.herald.ingestion.WebhookReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook sender when things go wrong under a batch, on a broker and a Redis of its
 * own (the service's consumer groups have them to themselves, and Redis can be stopped):
 * a batch of a retry topic that fails and is handled again commits no call that is not
 * due yet, and a shutdown lets the call in flight end and be committed before the HTTP
 * client closes.
 */
class WebhookSenderRecoveryIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String RETRY_GROUP = WebhookSender.GROUP + "-retry";

	/**
	 * Long enough to outlast the outage and the batch handled again, short enough to wait
	 * for.
	 */
	private static final Duration NOT_DUE_FOR = Duration.ofSeconds(30);

	private static KafkaBroker broker;

	/** Persistent: the endpoints outlive a stop. */
	private static RedisServer redis;

	private final WebhookReceiver receiver = new WebhookReceiver();

	private final List<ConfigurableApplicationContext> services = new ArrayList<>();

	@BeforeAll
	static void start(@TempDir Path data) {
		broker = KafkaBroker.builder().build().start();
		redis = RedisServer.builder().dataDirectory(data).build().start();
	}

	@AfterEach
	void stop() {
		this.receiver.close();
		this.services.forEach(ConfigurableApplicationContext::close);
	}

	@AfterAll
	static void close() {
		broker.close();
		redis.close();
	}

	@Test
	void aRetryNotDueYetStaysUncommittedWhenItsBatchFailsAndIsHandledAgain() throws Exception {
		ConfigurableApplicationContext service = start(Map.of());
		String path = "/ok/" + UUID.randomUUID();
		String endpointId = register(service, path);
		MeterRegistry meters = service.getBean(MeterRegistry.class);
		String topic = Topics.retry(Topics.WEBHOOKS.name(), 1);
		// The retry topics' consumer of the endpoint's partition is polling: the outage
		// below is short.
		CallWebhook first = call(endpointId, 2);
		writeTogether(retry(topic, first, Instant.now()));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ids(path)).containsExactly(first.webhookId()));
		CallWebhook due = call(endpointId, 2);
		CallWebhook later = call(endpointId, 2);
		long failures = batchFailures(meters);
		List<RecordMetadata> written;
		// The batch of both calls fails: the endpoint of the due one cannot be read.
		redis.stop();
		try {
			written = writeTogether(retry(topic, due, Instant.now()),
					retry(topic, later, Instant.now().plus(NOT_DUE_FOR)));
			await().atMost(TIMEOUT).until(() -> batchFailures(meters) > failures);
		}
		finally {
			redis.start();
		}
		TopicPartition partition = new TopicPartition(topic, written.get(1).partition());
		long laterOffset = written.get(1).offset();

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(ids(path)).containsExactly(first.webhookId(), due.webhookId()));
		await().atMost(TIMEOUT).until(() -> committed(RETRY_GROUP, partition) >= laterOffset);
		// The commit is read before the calls: a commit past the later call without a
		// call of it skipped it.
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
			long committed = committed(RETRY_GROUP, partition);
			if (committed > laterOffset) {
				assertThat(ids(path)).as("committed past a call that was not made").contains(later.webhookId());
			}
		});

		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(ids(path)).containsExactly(first.webhookId(), due.webhookId(), later.webhookId()));
		await().atMost(TIMEOUT).until(() -> committed(RETRY_GROUP, partition) == laterOffset + 1);
	}

	@Test
	void aCallInFlightAtShutdownIsAnsweredAndCommittedBeforeTheClientCloses() throws Exception {
		// The context waits a second for the sender to stop, far less than the call
		// takes: the sender's own wait keeps the client and the producer open until the
		// call ended.
		Map<String, Object> patient = Map.of("herald.ingestion.webhooks.call-timeout", "30s",
				"spring.lifecycle.timeout-per-shutdown-phase", "1s");
		ConfigurableApplicationContext service = start(patient);
		String path = "/slow/" + UUID.randomUUID();
		String endpointId = register(service, path);
		WebhookClient client = service.getBean(WebhookClient.class);
		CallWebhook inFlight = call(endpointId, 1);
		RecordMetadata written = writeTogether(
				new ProducerRecord<>(Topics.WEBHOOKS.name(), inFlight.key(), Topics.WEBHOOKS.codec().encode(inFlight)))
			.get(0);
		await().atMost(TIMEOUT).until(() -> this.receiver.held() == 1);

		CompletableFuture<Void> closed = CompletableFuture.runAsync(service::close);
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
			assertThat(client.isClosing()).as("closing under a call in flight").isFalse();
			assertThat(closed).isNotDone();
		});
		this.receiver.release();
		closed.get();
		assertThat(client.isClosed()).isTrue();
		TopicPartition partition = new TopicPartition(written.topic(), written.partition());
		assertThat(committed(WebhookSender.GROUP, partition)).as("the answered call is committed")
			.isEqualTo(written.offset() + 1);

		ConfigurableApplicationContext restarted = start(patient);
		CallWebhook next = call(endpointId, 1);
		writeTogether(new ProducerRecord<>(Topics.WEBHOOKS.name(), next.key(), Topics.WEBHOOKS.codec().encode(next)));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ids(path)).contains(next.webhookId()));
		assertThat(ids(path)).as("called once, not again after the restart")
			.containsExactly(inFlight.webhookId(), next.webhookId());
		assertThat(restarted.isActive()).isTrue();
	}

	private ConfigurableApplicationContext start(Map<String, Object> overrides) {
		Map<String, Object> properties = new LinkedHashMap<>();
		TestApi.registerProperties((name, value) -> properties.put(name, value.get()), broker::bootstrapServers,
				redis::port);
		properties.put("server.port", 0);
		properties.put("management.server.port", 0);
		properties.putAll(overrides);
		List<String> arguments = new ArrayList<>();
		properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		ConfigurableApplicationContext service = new SpringApplicationBuilder(IngestionApplication.class)
			.run(arguments.toArray(String[]::new));
		this.services.add(service);
		return service;
	}

	/** Registers an endpoint of the receiver for acme; returns its id. */
	private String register(ConfigurableApplicationContext service, String path) {
		int port = ((WebServerApplicationContext) service).getWebServer().getPort();
		TestApi.Response response = new TestApi(port).post("/v1/webhooks", TestApi.ACME_KEY,
				"{\"url\": \"" + this.receiver.url(path) + "\", \"states\": [\"sent\"]}");
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		this.receiver.secret(path, response.json().get("secret").stringValue());
		return response.json().get("id").stringValue();
	}

	/** The ids of the calls a path received, in order of arrival. */
	private List<String> ids(String path) {
		return this.receiver.calls(path).stream().map(WebhookReceiver.Call::id).toList();
	}

	private static CallWebhook call(String endpointId, int attempt) {
		String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
		return new CallWebhook(CallWebhook.SCHEMA_VERSION, "acme", endpointId, id, "delivery.sent",
				"{\"id\": \"" + id + "\", \"type\": \"delivery.sent\"}", Instant.now(), attempt);
	}

	/** A call on a retry topic as the sender writes it, due at {@code notBefore}. */
	private static ProducerRecord<String, byte[]> retry(String topic, CallWebhook call, Instant notBefore) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic,
				PartitionKeys.event("acme", call.endpointId()), Topics.WEBHOOKS.codec().encode(call));
		record.headers()
			.add(HeaderNames.NOT_BEFORE, Long.toString(notBefore.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
		return record;
	}

	@SafeVarargs
	private static List<RecordMetadata> writeTogether(ProducerRecord<String, byte[]>... records) throws Exception {
		return TopicContents.writeTogether(broker.bootstrapServers(), records);
	}

	/**
	 * How often a batch of the retry topics failed, as the listener containers count it.
	 */
	private static long batchFailures(MeterRegistry meters) {
		return meters.find("spring.kafka.listener")
			.tag("result", "failure")
			.timers()
			.stream()
			.filter((timer) -> String.valueOf(timer.getId().getTag("name")).startsWith(RETRY_GROUP + "-"))
			.mapToLong(Timer::count)
			.sum();
	}

	/**
	 * A group's committed offset of a partition: where a consumer that takes it over
	 * starts.
	 */
	private static long committed(String group, TopicPartition partition) throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get()
				.get(partition);
			return (committed != null) ? committed.offset() : -1;
		}
	}

}
