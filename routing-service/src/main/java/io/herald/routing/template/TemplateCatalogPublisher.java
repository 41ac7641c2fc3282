package io.herald.routing.template;

import io.herald.events.RecordDecodingException;
import io.herald.events.TemplateDefined;
import io.herald.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes the template catalog topic hold exactly the templates this service renders: reads
 * what the topic holds, writes every template that is new or changed, and a tombstone for
 * every template the topic holds that this service no longer has. Writes go through the
 * service's idempotent {@code acks=all} producer; {@link #publish()} returns once every
 * write is acknowledged, so what it published survives any broker a write may still lose.
 *
 * <p>
 * Only keys without a tenant part are this publisher's: a future tenant's own templates
 * ({@code tenant|id}) are never tombstoned here.
 */
final class TemplateCatalogPublisher {

	private static final Logger logger = LoggerFactory.getLogger(TemplateCatalogPublisher.class);

	private final String topic;

	private final List<TemplateDefined> definitions;

	private final KafkaTemplate<String, byte[]> kafka;

	private final Map<String, Object> consumerProperties;

	private final Duration timeout;

	/**
	 * @param topic the catalog topic, {@link Topics#TEMPLATES} but for tests
	 * @param definitions the templates this service renders
	 * @param kafka the producer
	 * @param consumerProperties the service's consumer settings (bootstrap servers,
	 * security); group and deserializers are set here
	 * @param timeout how long reading the topic and waiting for acknowledgements may take
	 */
	TemplateCatalogPublisher(String topic, List<TemplateDefined> definitions, KafkaTemplate<String, byte[]> kafka,
			Map<String, Object> consumerProperties, Duration timeout) {
		this.topic = topic;
		this.definitions = List.copyOf(definitions);
		this.kafka = kafka;
		this.consumerProperties = Map.copyOf(consumerProperties);
		this.timeout = timeout;
	}

	/**
	 * Publishes the catalog.
	 * @return the ids written and the ids removed
	 * @throws CatalogNotPublishedException when the topic cannot be read or a write is
	 * not acknowledged within the timeout; calling again is harmless
	 */
	Published publish() {
		Map<String, @Nullable TemplateDefined> held = read();
		List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>();
		Set<String> written = new TreeSet<>();
		Set<String> removed = new TreeSet<>();
		Set<String> defined = new TreeSet<>();
		for (TemplateDefined definition : this.definitions) {
			defined.add(definition.id());
			if (!held.containsKey(definition.id()) || !definition.equals(held.get(definition.id()))) {
				written.add(definition.id());
				sends.add(this.kafka.send(new ProducerRecord<>(this.topic, definition.id(),
						Topics.TEMPLATES.codec().encode(definition))));
			}
		}
		for (String id : held.keySet()) {
			if (!defined.contains(id)) {
				removed.add(id);
				sends.add(this.kafka.send(new ProducerRecord<>(this.topic, id, null)));
			}
		}
		try {
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CatalogNotPublishedException("interrupted", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new CatalogNotPublishedException("a write was not acknowledged: " + ex, ex);
		}
		return new Published(defined, written, removed);
	}

	/**
	 * The shared templates the topic holds now, by id: the latest value of every key
	 * without a tenant part that is not a tombstone ({@code null} for a value this code
	 * cannot decode, so that it is rewritten).
	 */
	private Map<String, @Nullable TemplateDefined> read() {
		Map<String, Object> properties = new HashMap<>(this.consumerProperties);
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		long deadline = System.nanoTime() + this.timeout.toNanos();
		Map<String, @Nullable TemplateDefined> held = new HashMap<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
			List<PartitionInfo> infos = consumer.partitionsFor(this.topic, this.timeout);
			if (infos == null || infos.isEmpty()) {
				throw new CatalogNotPublishedException("topic " + this.topic + " does not exist", null);
			}
			List<TopicPartition> partitions = infos.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, this.timeout);
			while (!caughtUp(consumer, ends)) {
				if (System.nanoTime() > deadline) {
					throw new CatalogNotPublishedException(
							"could not read " + this.topic + " to its end in " + this.timeout, null);
				}
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.key() == null || record.key().indexOf('|') >= 0) {
						continue;
					}
					if (record.value() == null) {
						held.remove(record.key());
					}
					else {
						held.put(record.key(), decode(record));
					}
				}
			}
		}
		catch (org.apache.kafka.common.KafkaException ex) {
			throw new CatalogNotPublishedException("could not read " + this.topic + ": " + ex, ex);
		}
		return held;
	}

	private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
		for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
			if (consumer.position(end.getKey()) < end.getValue()) {
				return false;
			}
		}
		return true;
	}

	private static @Nullable TemplateDefined decode(ConsumerRecord<String, byte[]> record) {
		try {
			return Topics.TEMPLATES.codec().decode(record.value());
		}
		catch (RecordDecodingException ex) {
			logger.warn("Template catalog record {} at offset {} is not readable ({}); it is rewritten", record.key(),
					record.offset(), ex.getMessage());
			return null;
		}
	}

	/**
	 * What one publication did.
	 *
	 * @param defined every id of the catalog
	 * @param written the ids written because they were new or changed
	 * @param removed the ids tombstoned because the catalog no longer has them
	 */
	record Published(Set<String> defined, Set<String> written, Set<String> removed) {
	}

	/** The catalog could not be published now; publishing again later may succeed. */
	static final class CatalogNotPublishedException extends RuntimeException {

		CatalogNotPublishedException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

}
