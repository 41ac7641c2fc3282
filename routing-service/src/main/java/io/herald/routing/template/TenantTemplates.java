package io.herald.routing.template;

import io.herald.events.RecordDecodingException;
import io.herald.events.TemplateDefined;
import io.herald.events.TemplateTexts;
import io.herald.events.Topics;
import io.herald.support.kafka.CatalogFollower;
import io.herald.support.kafka.FollowedCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every tenant's own templates, in the version in force: followed from
 * {@code herald.templates} (keys {@code tenant|id}, {@link CatalogFollower}) and compiled
 * as they arrive, in this instance's memory, where both routing applications and the
 * template API read them. The shared templates on that topic (keys without a tenant) are
 * the files' and are left to {@link MustacheTemplateCatalog}.
 *
 * <p>
 * A record that does not decode or compile (one written by a later release with rules
 * this one does not know) leaves its template known but unrenderable: events naming it
 * are reported, not routed with an older version.
 */
public final class TenantTemplates extends FollowedCatalog {

	private static final Logger logger = LoggerFactory.getLogger(TenantTemplates.class);

	private final Map<String, ConcurrentNavigableMap<String, TenantTemplate>> byTenant = new ConcurrentHashMap<>();

	/**
	 * @param topic the catalog topic, {@link Topics#TEMPLATES} but for tests
	 * @param consumerProperties the service's consumer settings
	 */
	public TenantTemplates(String topic, Map<String, Object> consumerProperties) {
		super(topic, consumerProperties, "herald-tenant-templates");
	}

	/** The tenant's own template of an id, or {@code null}. */
	public @Nullable TenantTemplate find(String tenant, String templateId) {
		Map<String, TenantTemplate> templates = this.byTenant.get(tenant);
		return (templates != null) ? templates.get(templateId) : null;
	}

	/** The tenant's own templates, by id. */
	public List<TenantTemplate> of(String tenant) {
		Map<String, TenantTemplate> templates = this.byTenant.get(tenant);
		return (templates != null) ? List.copyOf(templates.values()) : List.of();
	}

	/** See {@link CatalogFollower#awaitPosition(long, Duration)}. */
	public boolean awaitPosition(long offset, Duration timeout) {
		return follower().awaitPosition(offset, timeout);
	}

	/** See {@link CatalogFollower#position()}. */
	public long position() {
		return follower().position();
	}

	/** Before the routing applications, which render from it. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 10_000;
	}

	@Override
	protected void apply(ConsumerRecord<String, byte[]> record) {
		TenantKey tenantKey = tenantKey(record);
		if (tenantKey == null) {
			return;
		}
		String key = record.key();
		String tenant = tenantKey.tenant();
		String id = tenantKey.id();
		if (record.value() == null) {
			Map<String, TenantTemplate> templates = this.byTenant.get(tenant);
			if (templates != null) {
				templates.remove(id);
			}
			return;
		}
		TenantTemplate template;
		try {
			template = TenantTemplate.of(Topics.TEMPLATES.codec().decode(record.value()));
		}
		catch (RecordDecodingException | IllegalArgumentException ex) {
			logger.error("Template {} at {}-{}@{} cannot be read by this release: {}", key, record.topic(),
					record.partition(), record.offset(), ex.getMessage());
			template = new TenantTemplate(tenant, id, 0, Instant.ofEpochMilli(record.timestamp()), Map.of(), null);
		}
		this.byTenant.computeIfAbsent(tenant, (t) -> new ConcurrentSkipListMap<>()).put(id, template);
	}

	/**
	 * A tenant's own template in the version in force.
	 *
	 * @param tenant the tenant
	 * @param id the template id
	 * @param version its version
	 * @param updatedAt when it got this version
	 * @param texts its texts by normalized locale
	 * @param compiled the texts compiled, or {@code null} when they do not compile here
	 */
	public record TenantTemplate(String tenant, String id, long version, Instant updatedAt,
			Map<String, TemplateTexts> texts, @Nullable CompiledTemplate compiled) {

		static TenantTemplate of(@Nullable TemplateDefined defined) {
			if (defined == null || defined.tenant() == null || defined.version() == null || defined.texts() == null) {
				throw new IllegalArgumentException("not a tenant template");
			}
			String location = defined.key() + " version " + defined.version();
			CompiledTemplate compiled;
			try {
				compiled = CompiledTemplate.compile(location, defined.texts());
			}
			catch (InvalidTemplateException ex) {
				logger.error("Template {} cannot be rendered by this release: {}", location, ex.getMessage());
				compiled = null;
			}
			return new TenantTemplate(defined.tenant(), defined.id(), defined.version(),
					(defined.updatedAt() != null) ? defined.updatedAt() : Instant.EPOCH, defined.texts(), compiled);
		}

	}

}
