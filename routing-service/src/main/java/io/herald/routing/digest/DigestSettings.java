package io.herald.routing.digest;

import io.herald.events.CategoryPatterns;
import io.herald.events.DigestSetting;
import io.herald.events.RecordDecodingException;
import io.herald.events.Topics;
import io.herald.support.kafka.CatalogFollower;
import io.herald.support.kafka.FollowedCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every tenant's digest settings, followed from {@code herald.digest-settings} (keys
 * {@code tenant|pattern}, {@link CatalogFollower}) into this instance's memory, where
 * both routing applications and the digest API read them: a table replicated to every
 * instance, as the tenants' templates are (docs/adr/025). A record this release cannot
 * read is skipped and logged; the setting it replaced stays removed.
 */
public final class DigestSettings extends FollowedCatalog implements DigestLookup {

	private static final Logger logger = LoggerFactory.getLogger(DigestSettings.class);

	private final Map<String, ConcurrentNavigableMap<String, DigestSetting>> byTenant = new ConcurrentHashMap<>();

	/**
	 * @param topic the settings topic, {@link Topics#DIGEST_SETTINGS} but for tests
	 * @param consumerProperties the service's consumer settings
	 */
	public DigestSettings(String topic, Map<String, Object> consumerProperties) {
		super(topic, consumerProperties, "herald-digest-settings");
	}

	@Override
	public @Nullable DigestSetting find(String tenant, String category) {
		Map<String, DigestSetting> settings = this.byTenant.get(tenant);
		if (settings == null || settings.isEmpty()) {
			return null;
		}
		String pattern = CategoryPatterns.bestMatch(settings.keySet(), category);
		return (pattern != null) ? settings.get(pattern) : null;
	}

	/** The tenant's setting of exactly this pattern, or {@code null}. */
	public @Nullable DigestSetting get(String tenant, String pattern) {
		Map<String, DigestSetting> settings = this.byTenant.get(tenant);
		return (settings != null) ? settings.get(pattern) : null;
	}

	/** The tenant's settings, by pattern. */
	public List<DigestSetting> of(String tenant) {
		Map<String, DigestSetting> settings = this.byTenant.get(tenant);
		return (settings != null) ? List.copyOf(settings.values()) : List.of();
	}

	/** Before the routing applications, which digest by it. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 10_000;
	}

	@Override
	protected void apply(ConsumerRecord<String, byte[]> record) {
		TenantKey key = tenantKey(record);
		if (key == null) {
			return;
		}
		String tenant = key.tenant();
		String pattern = key.id();
		ConcurrentNavigableMap<String, DigestSetting> settings = this.byTenant.computeIfAbsent(tenant,
				(t) -> new ConcurrentSkipListMap<>());
		settings.remove(pattern);
		if (record.value() == null) {
			return;
		}
		try {
			DigestSetting setting = Topics.DIGEST_SETTINGS.codec().decode(record.value());
			if (setting != null && setting.tenant().equals(tenant) && setting.pattern().equals(pattern)) {
				settings.put(pattern, setting);
			}
		}
		catch (RecordDecodingException ex) {
			logger.error("Digest setting {} at {}-{}@{} cannot be read by this release: {}", record.key(),
					record.topic(), record.partition(), record.offset(), ex.getMessage());
		}
	}

}
