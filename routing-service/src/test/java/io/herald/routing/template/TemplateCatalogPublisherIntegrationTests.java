package io.herald.routing.template;

import io.herald.events.Channel;
import io.herald.events.TemplateDefined;
import io.herald.events.Topics;
import io.herald.infra.SharedInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import io.herald.support.kafka.KafkaTopicsProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog publisher against a real broker: it writes the templates it renders, writes
 * nothing that is already there, and tombstones a template that left the files.
 */
class TemplateCatalogPublisherIntegrationTests {

	private final String topic = "herald.templates-" + UUID.randomUUID();

	private DefaultKafkaProducerFactory<String, byte[]> producers;

	@TempDir
	Path root;

	@BeforeEach
	void createTopic() throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers()))) {
			admin.createTopics(List.of(new KafkaTopicsProperties(12, (short) 1, 1).newCompactedTopic(this.topic)))
				.all()
				.get();
		}
		this.producers = new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				SharedInfra.kafka().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
	}

	@AfterEach
	void closeProducers() {
		this.producers.destroy();
	}

	@Test
	void publishesEveryTemplateWithItsLocalesAndChannels() {
		TemplateTrees.write(this.root, "welcome/default.yml", "title: Hi\nbody: Hello\n");
		TemplateTrees.write(this.root, "welcome/de.yml", "title: Hallo\n");
		TemplateTrees.write(this.root, "digest/default.yml", "title: Digest\nbody: News\n");

		TemplateCatalogPublisher.Published published = publisher().publish();

		assertThat(published.written()).containsExactly("digest", "welcome");
		assertThat(published.removed()).isEmpty();
		assertThat(records()).containsExactly(
				Map.entry("digest", TemplateDefined.of("digest", List.of("default"), EnumSet.allOf(Channel.class))),
				Map.entry("welcome",
						TemplateDefined.of("welcome", List.of("de", "default"), EnumSet.allOf(Channel.class))));
	}

	@Test
	void publishingAnUnchangedCatalogAgainWritesNothing() {
		TemplateTrees.write(this.root, "welcome/default.yml", "title: Hi\nbody: Hello\n");
		publisher().publish();

		TemplateCatalogPublisher.Published again = publisher().publish();

		assertThat(again.written()).isEmpty();
		assertThat(again.removed()).isEmpty();
		assertThat(records()).hasSize(1);
	}

	@Test
	void tombstonesATemplateThatLeftTheFiles() throws Exception {
		TemplateTrees.write(this.root, "welcome/default.yml", "title: Hi\nbody: Hello\n");
		TemplateTrees.write(this.root, "digest/default.yml", "title: Digest\nbody: News\n");
		publisher().publish();
		java.nio.file.Files.delete(this.root.resolve("digest/default.yml"));
		java.nio.file.Files.delete(this.root.resolve("digest"));

		TemplateCatalogPublisher.Published published = publisher().publish();

		assertThat(published.written()).isEmpty();
		assertThat(published.removed()).containsExactly("digest");
		List<Map.Entry<String, @Nullable TemplateDefined>> records = records();
		assertThat(records.get(records.size() - 1).getKey()).isEqualTo("digest");
		assertThat(records.get(records.size() - 1).getValue()).isNull();
	}

	@Test
	void leavesTheTemplatesOfATenantAlone() {
		TemplateTrees.write(this.root, "welcome/default.yml", "title: Hi\nbody: Hello\n");
		this.producers.createProducer()
			.send(new org.apache.kafka.clients.producer.ProducerRecord<>(this.topic, "acme|own",
					Topics.TEMPLATES.codec()
						.encode(TemplateDefined.of("own", List.of("default"), EnumSet.of(Channel.EMAIL)))));

		TemplateCatalogPublisher.Published published = publisher().publish();

		assertThat(published.removed()).isEmpty();
		assertThat(records()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("acme|own", "welcome");
	}

	private TemplateCatalogPublisher publisher() {
		return new TemplateCatalogPublisher(this.topic, MustacheTemplateCatalog.fromDirectory(this.root).definitions(),
				new KafkaTemplate<>(this.producers),
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers()),
				Duration.ofSeconds(30));
	}

	/**
	 * Every record of the topic, in order, values decoded ({@code null} for a tombstone).
	 */
	private List<Map.Entry<String, @Nullable TemplateDefined>> records() {
		Map<String, Object> properties = new HashMap<>();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
			TopicPartition partition = new TopicPartition(this.topic, 0);
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			long end = consumer.endOffsets(List.of(partition)).get(partition);
			List<Map.Entry<String, @Nullable TemplateDefined>> records = new ArrayList<>();
			while (consumer.position(partition) < end) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					records.add(new java.util.AbstractMap.SimpleEntry<>(record.key(),
							Topics.TEMPLATES.codec().decode(record.value())));
				}
			}
			return records;
		}
	}

}
