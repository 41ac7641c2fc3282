package io.herald.ingestion.template;

import io.herald.events.Channel;
import io.herald.events.RecordDecodingException;
import io.herald.events.TemplateDefined;
import io.herald.events.Topics;
import io.herald.support.kafka.CatalogFollower;
import io.herald.support.kafka.FollowedCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The template catalog followed from its compacted topic ({@link CatalogFollower}): every
 * partition read from the beginning into memory, then followed, so a template published
 * or removed is known within a poll. Until the catalog has been read up to the end
 * offsets it had when the service started, every lookup answers {@link Lookup.NotLoaded}
 * and readiness is held down; afterwards, lookups answer from memory, also while the
 * broker is away (the last catalog read stays in force).
 *
 * <p>
 * Keys are template ids shared by every tenant, or {@code tenant|id} for a tenant's own
 * template, which wins over a shared one of the same id.
 *
 * <p>
 * {@link #sync()} brings the catalog up to date with every change the brokers
 * acknowledged before the call, which the template API's answer waits for: an event sent
 * after a template was created, changed or deleted is checked against that change, and
 * carries the catalog's position to routing. Syncs of concurrent requests share one
 * request to the broker.
 */
final class KafkaTemplateCatalog extends FollowedCatalog implements TemplateCatalog {

	private static final Logger logger = LoggerFactory.getLogger(KafkaTemplateCatalog.class);

	private final Map<String, Set<Channel>> templates = new ConcurrentHashMap<>();

	private final Duration syncTimeout;

	private final Timer synced;

	private final Timer stale;

	/**
	 * @param topic the catalog topic, {@link Topics#TEMPLATES} but for tests
	 * @param consumerProperties the service's consumer settings (bootstrap servers,
	 * security); group, offsets and deserializers are set here
	 * @param syncTimeout how long {@link #sync()} waits for the broker before answering
	 * from memory
	 * @param registry where the syncs are timed
	 */
	KafkaTemplateCatalog(String topic, Map<String, Object> consumerProperties, Duration syncTimeout,
			MeterRegistry registry) {
		super(topic, consumerProperties, "herald-template-catalog");
		this.syncTimeout = syncTimeout;
		this.synced = syncTimer(registry, "current");
		this.stale = syncTimer(registry, "stale");
	}

	@Override
	public Lookup lookup(String tenant, String templateId) {
		if (!isLoaded()) {
			return new Lookup.NotLoaded();
		}
		Set<Channel> channels = this.templates.get(TemplateDefined.key(tenant, templateId));
		if (channels == null) {
			channels = this.templates.get(templateId);
		}
		return (channels != null) ? new Lookup.Defined(channels) : new Lookup.Undefined();
	}

	@Override
	public @Nullable Long sync() {
		if (!isLoaded()) {
			return null;
		}
		long start = System.nanoTime();
		boolean current = follower().sync(this.syncTimeout);
		(current ? this.synced : this.stale).record(Duration.ofNanos(System.nanoTime() - start));
		long position = follower().position();
		return (position != CatalogFollower.NO_POSITION) ? position : null;
	}

	@Override
	protected void apply(ConsumerRecord<String, byte[]> record) {
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
			// Only routing writes this topic; a record it cannot have written is skipped,
			// and the template it names is unknown until a readable record replaces it.
			this.templates.remove(record.key());
			logger.warn("Template catalog record {} at {}-{}@{} is not readable and is skipped: {}", record.key(),
					record.topic(), record.partition(), record.offset(), ex.getMessage());
		}
	}

	private static Timer syncTimer(MeterRegistry registry, String outcome) {
		return Timer.builder("herald.ingestion.template.syncs")
			.description("Waits of events naming a template for the template catalog to read every change "
					+ "acknowledged before them, by outcome (stale: timed out, checked against what was read)")
			.tag("outcome", outcome)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(registry);
	}

}
