package io.herald.support.kafka;

import io.herald.infra.FreePorts;
import io.herald.infra.KafkaBroker;
import io.herald.infra.KafkaQuorum;
import io.herald.infra.SharedInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link CatalogFollower} against a real broker. */
@ExtendWith(OutputCaptureExtension.class)
class CatalogFollowerIntegrationTests {

	private final List<CatalogFollower> followers = new ArrayList<>();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		this.followers.forEach(CatalogFollower::stop);
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void loadsWhatTheTopicHeldAndFollowsIt() throws Exception {
		String bootstrap = SharedInfra.kafka().bootstrapServers();
		String topic = topic(bootstrap);
		KafkaProducer<String, byte[]> producer = producer(bootstrap);
		producer.send(record(topic, "a", "1")).get();
		producer.send(record(topic, "b", "2")).get();
		Map<String, String> seen = new ConcurrentHashMap<>();
		CatalogFollower follower = follower(bootstrap, topic, seen);
		await().atMost(Duration.ofSeconds(30)).until(follower::isLoaded);
		assertThat(seen).containsEntry("a", "1").containsEntry("b", "2");
		assertThat(follower.position()).isEqualTo(2);
		producer.send(record(topic, "a", null)).get();
		await().atMost(Duration.ofSeconds(10)).until(() -> !seen.containsKey("a"));
		assertThat(follower.position()).isEqualTo(3);
	}

	@Test
	void aSyncSeesEveryWriteAcknowledgedBeforeIt() throws Exception {
		Catalog catalog = loaded(SharedInfra.kafka().bootstrapServers());
		for (int i = 0; i < 50; i++) {
			long offset = catalog.write("k", Integer.toString(i));
			assertThat(catalog.follower().sync(Duration.ofSeconds(10))).isTrue();
			assertThat(catalog.seen()).containsEntry("k", Integer.toString(i));
			assertThat(catalog.follower().position()).isGreaterThan(offset);
		}
	}

	@Test
	void concurrentSyncsAllSeeTheWritesBeforeThem() throws Exception {
		Catalog catalog = loaded(SharedInfra.kafka().bootstrapServers());
		try (ExecutorService callers = Executors.newFixedThreadPool(16)) {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				String key = "k" + i;
				results.add(callers.submit(() -> {
					catalog.write(key, "v");
					return catalog.follower().sync(Duration.ofSeconds(10)) && catalog.seen().containsKey(key);
				}));
			}
			for (Future<Boolean> result : results) {
				assertThat(result.get()).isTrue();
			}
		}
	}

	@Test
	void awaitsThePositionAnotherReaderReached() throws Exception {
		String bootstrap = SharedInfra.kafka().bootstrapServers();
		String topic = topic(bootstrap);
		KafkaProducer<String, byte[]> producer = producer(bootstrap);
		CatalogFollower first = follower(bootstrap, topic, new ConcurrentHashMap<>());
		Map<String, String> seen = new ConcurrentHashMap<>();
		CatalogFollower second = follower(bootstrap, topic, seen);
		await().atMost(Duration.ofSeconds(30)).until(() -> first.isLoaded() && second.isLoaded());
		producer.send(record(topic, "x", "1")).get();
		assertThat(first.sync(Duration.ofSeconds(10))).isTrue();
		assertThat(second.awaitPosition(first.position(), Duration.ofSeconds(10))).isTrue();
		assertThat(seen).containsEntry("x", "1");
	}

	@Test
	void whileTheBrokerIsAwayASyncTimesOutOnceAndThenAnswersAtOnceWithWhatWasRead() throws Exception {
		KafkaBroker broker = KafkaBroker.builder().build().start();
		this.closeables.add(broker);
		String bootstrap = broker.bootstrapServers();
		String topic = topic(bootstrap);
		KafkaProducer<String, byte[]> producer = producer(bootstrap);
		producer.send(record(topic, "a", "1")).get();
		Map<String, String> seen = new ConcurrentHashMap<>();
		CatalogFollower follower = follower(bootstrap, topic, seen);
		await().atMost(Duration.ofSeconds(30)).until(follower::isLoaded);
		producer.close();
		this.closeables.remove(producer);
		broker.stop();

		assertThat(follower.sync(Duration.ofMillis(500))).isFalse();
		long start = System.nanoTime();
		assertThat(follower.sync(Duration.ofSeconds(10))).isFalse();
		assertThat(follower.awaitPosition(follower.position() + 1, Duration.ofMillis(300))).isFalse();
		assertThat(follower.awaitPosition(follower.position() + 1, Duration.ofSeconds(10))).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(seen).containsEntry("a", "1");
	}

	/**
	 * A service that starts beside a cluster whose catalog partition has no leader yet (a
	 * node still starting, an election under way) cannot read the end offsets it loads up
	 * to. It tries again until it can, instead of following without ever reporting the
	 * catalog loaded, which kept such a service unready for good.
	 */
	@Test
	void aLoadWhoseEndOffsetsCannotBeReadYetIsTriedAgainUntilItCompletes(CapturedOutput output) throws Exception {
		KafkaQuorum quorum = KafkaQuorum.of(FreePorts.find(3));
		List<KafkaBroker> nodes = new ArrayList<>();
		for (int id : quorum.controllerPorts().keySet()) {
			nodes.add(KafkaBroker.builder().node(id, quorum).build());
		}
		// Together, as a quorum starts and stops: a node left alone would wait for the
		// others' votes.
		this.closeables.add(() -> inParallel(nodes, KafkaBroker::close));
		inParallel(nodes, KafkaBroker::start);
		String bootstrap = nodes.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
		KafkaBroker holder = nodes.get(2);
		String topic = "catalog-" + UUID.randomUUID();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
			admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(holder.nodeId())))
				.configs(Map.of("cleanup.policy", "compact", "min.insync.replicas", "1")))).all().get();
		}
		KafkaProducer<String, byte[]> producer = producer(bootstrap);
		producer.send(record(topic, "a", "1")).get();
		holder.stop();

		Map<String, String> seen = new ConcurrentHashMap<>();
		CatalogFollower follower = follower(bootstrap, topic, seen);
		await().atMost(Duration.ofSeconds(60)).until(() -> output.getOut().contains("cannot read " + topic));
		assertThat(follower.isLoaded()).isFalse();
		holder.start();

		await().atMost(Duration.ofSeconds(60)).until(follower::isLoaded);
		assertThat(seen).containsEntry("a", "1");
		assertThat(follower.position()).isEqualTo(1);
	}

	private static void inParallel(List<KafkaBroker> nodes, Consumer<KafkaBroker> action) throws Exception {
		// Platform threads: a broker's start holds locks that virtual threads would pin
		// their carriers on, and two carriers would not serve three nodes.
		try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
			List<Future<Void>> done = nodes.stream().map((node) -> executor.<Void>submit(() -> {
				action.accept(node);
				return null;
			})).toList();
			for (Future<Void> node : done) {
				node.get();
			}
		}
	}

	/** A fresh topic, its producer, and a follower of it that has loaded it. */
	private Catalog loaded(String bootstrap) throws Exception {
		String topic = topic(bootstrap);
		Map<String, String> seen = new ConcurrentHashMap<>();
		CatalogFollower follower = follower(bootstrap, topic, seen);
		await().atMost(Duration.ofSeconds(30)).until(follower::isLoaded);
		return new Catalog(topic, producer(bootstrap), seen, follower);
	}

	/** A topic followed in a test. */
	private record Catalog(String topic, KafkaProducer<String, byte[]> producer, Map<String, String> seen,
			CatalogFollower follower) {

		/** Writes a record and waits for its acknowledgement; its offset. */
		long write(String key, String value) throws Exception {
			return this.producer.send(record(this.topic, key, value)).get().offset();
		}

	}

	private CatalogFollower follower(String bootstrap, String topic, Map<String, String> seen) {
		CatalogFollower follower = new CatalogFollower(topic,
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), "test-follower",
				(ConsumerRecord<String, byte[]> record) -> {
					if (record.value() == null) {
						seen.remove(record.key());
					}
					else {
						seen.put(record.key(), new String(record.value(), StandardCharsets.UTF_8));
					}
				});
		follower.start();
		this.followers.add(follower);
		return follower;
	}

	private KafkaProducer<String, byte[]> producer(String bootstrap) {
		KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				bootstrap, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000),
				new StringSerializer(), new ByteArraySerializer());
		this.closeables.add(producer);
		return producer;
	}

	private static ProducerRecord<String, byte[]> record(String topic, String key, String value) {
		return new ProducerRecord<>(topic, key, (value != null) ? value.getBytes(StandardCharsets.UTF_8) : null);
	}

	private static String topic(String bootstrap) throws Exception {
		String topic = "catalog-" + UUID.randomUUID();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
				.all()
				.get();
		}
		return topic;
	}

}
