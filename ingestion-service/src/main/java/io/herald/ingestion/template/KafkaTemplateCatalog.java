package io.herald.ingestion.template;

import io.herald.events.Channel;
import io.herald.events.PartitionKeys;
import io.herald.events.RecordDecodingException;
import io.herald.events.TemplateDefined;
import io.herald.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The template catalog followed from its compacted topic: one consumer without a group reads
 * every partition from the beginning into memory, then keeps following it, so a template
 * published or removed is known within a poll. Until the catalog has been read up to the end
 * offsets it had when the service started, every lookup answers {@link Lookup.NotLoaded} and
 * readiness is held down; afterwards, lookups answer from memory, also while the broker is away
 * (the last catalog read stays in force).
 *
 * <p>Keys are template ids shared by every tenant, or {@code tenant|id} for a tenant's own
 * template, which wins over a shared one of the same id.
 */
final class KafkaTemplateCatalog implements TemplateCatalog, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(KafkaTemplateCatalog.class);

	/** How long one call to the broker may block the follower, so that it notices a stop. */
	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

	/** The pause after a failed attempt to reach the topic. */
	private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

	private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

	private final String topic;

	private final Map<String, Object> consumerProperties;

	private final Map<String, Set<Channel>> templates = new ConcurrentHashMap<>();

	private volatile boolean loaded;

	private volatile boolean running;

	private @Nullable KafkaConsumer<String, byte[]> consumer;

	private @Nullable Thread follower;

	/**
	 * @param topic the catalog topic, {@link Topics#TEMPLATES} but for tests
	 * @param consumerProperties the service's consumer settings (bootstrap servers, security);
	 * group, offsets and deserializers are set here
	 */
	KafkaTemplateCatalog(String topic, Map<String, Object> consumerProperties) {
		this.topic = topic;
		Map<String, Object> properties = new HashMap<>(consumerProperties);
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		properties.remove(ConsumerConfig.CLIENT_ID_CONFIG);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		this.consumerProperties = Map.copyOf(properties);
	}

	@Override
	public Lookup lookup(String tenant, String templateId) {
		if (!this.loaded) {
			return new Lookup.NotLoaded();
		}
		Set<Channel> channels = this.templates.get(tenant + PartitionKeys.SEPARATOR + templateId);
		if (channels == null) {
			channels = this.templates.get(templateId);
		}
		return (channels != null) ? new Lookup.Defined(channels) : new Lookup.Undefined();
	}

	/** Whether the catalog has been read to the end offsets it had at start. */
	boolean isLoaded() {
		return this.loaded;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(this.consumerProperties);
		this.consumer = consumer;
		Thread thread = new Thread(() -> follow(consumer), "herald-template-catalog");
		thread.setDaemon(true);
		this.follower = thread;
		thread.start();
	}

	@Override
	public void stop() {
		Thread thread;
		synchronized (this) {
			if (!this.running) {
				return;
			}
			this.running = false;
			thread = this.follower;
			if (this.consumer != null) {
				this.consumer.wakeup();
			}
		}
		if (thread != null) {
			try {
				thread.join(CALL_TIMEOUT.toMillis() * 2);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void follow(KafkaConsumer<String, byte[]> consumer) {
		Map<TopicPartition, Long> ends = null;
		boolean warned = false;
		try (consumer) {
			while (this.running) {
				try {
					if (ends == null) {
						ends = assign(consumer);
						if (ends == null) {
							pause();
							continue;
						}
					}
					for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
						apply(record);
					}
					if (!this.loaded && caughtUp(consumer, ends)) {
						this.loaded = true;
						logger.info("Template catalog loaded from {}: {} templates", this.topic, this.templates.size());
					}
					warned = false;
				}
				catch (WakeupException ex) {
					return;
				}
				catch (KafkaException ex) {
					if (!warned) {
						logger.warn("Template catalog cannot read {} for now ({}); {}", this.topic, ex.toString(),
								this.loaded ? "the templates read so far stay in force" : "events naming a template get 503");
						warned = true;
					}
					pause();
				}
			}
		}
		catch (WakeupException ex) {
			// closing while stopping
		}
	}

	/** Assigns every partition from its beginning; the end offsets to reach, or {@code null} while the topic is missing. */
	private @Nullable Map<TopicPartition, Long> assign(KafkaConsumer<String, byte[]> consumer) {
		List<PartitionInfo> infos = consumer.partitionsFor(this.topic, CALL_TIMEOUT);
		if (infos == null || infos.isEmpty()) {
			return null;
		}
		List<TopicPartition> partitions = infos.stream()
			.map((info) -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		consumer.assign(partitions);
		consumer.seekToBeginning(partitions);
		return consumer.endOffsets(partitions, CALL_TIMEOUT);
	}

	private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
		for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
			if (consumer.position(end.getKey(), CALL_TIMEOUT) < end.getValue()) {
				return false;
			}
		}
		return true;
	}

	private void apply(ConsumerRecord<String, byte[]> record) {
		if (record.key() == null) {
			return;
		}
		if (record.value() == null) {
			this.templates.remove(record.key());
			return;
		}
		try {
			TemplateDefined template = Topics.TEMPLATES.codec().decode(record.value());
			this.templates.put(record.key(), template.channels());
		}
		catch (RecordDecodingException ex) {
			// Only routing writes this topic; a record it cannot have written is skipped, and the
			// template it names is unknown until a readable record replaces it.
			this.templates.remove(record.key());
			logger.warn("Template catalog record {} at {}-{}@{} is not readable and is skipped: {}", record.key(),
					record.topic(), record.partition(), record.offset(), ex.getMessage());
		}
	}

	private void pause() {
		try {
			Thread.sleep(RETRY_PAUSE);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

}
