package io.herald.routing.template;

import io.herald.events.Channel;
import io.herald.routing.template.TenantTemplates.TenantTemplate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The templates a tenant may use: its own ({@link TenantTemplates}), each shadowing a
 * shared one of the same id for that tenant alone, then the shared ones of the service's
 * files ({@link MustacheTemplateCatalog}). A tenant never sees another tenant's
 * templates: they are looked up under its own tenant id only.
 *
 * <p>
 * Meters: {@code herald.routing.template.renders} by {@code source} ({@code tenant},
 * {@code shared}) and {@code outcome} ({@code rendered}, {@code failed}: over its budget
 * or not compilable here, {@code unknown}: no such template); and
 * {@code herald.routing.template.catalog.waits} by {@code outcome} ({@code caught_up},
 * {@code timed_out}), counting the events that had to wait for this instance's catalog to
 * reach the position their ingestion had read.
 */
public final class Templates implements TemplateRenderer {

	private final TenantTemplates tenants;

	private final MustacheTemplateCatalog shared;

	private final Duration catalogWait;

	private final Map<Source, Counter> rendered;

	private final Map<Source, Counter> failed;

	private final Counter unknown;

	private final Counter caughtUp;

	private final Counter timedOut;

	/**
	 * @param tenants the tenants' own templates
	 * @param shared the templates of the service's files
	 * @param catalogWait the longest {@link #awaitCatalog(long)}
	 * @param registry where renders are counted
	 */
	public Templates(TenantTemplates tenants, MustacheTemplateCatalog shared, Duration catalogWait,
			MeterRegistry registry) {
		this.tenants = tenants;
		this.shared = shared;
		this.catalogWait = catalogWait;
		this.rendered = Map.of(Source.TENANT, renders(registry, Source.TENANT, "rendered"), Source.SHARED,
				renders(registry, Source.SHARED, "rendered"));
		this.failed = Map.of(Source.TENANT, renders(registry, Source.TENANT, "failed"), Source.SHARED,
				renders(registry, Source.SHARED, "failed"));
		this.unknown = Counter.builder("herald.routing.template.renders")
			.description("Templates rendered, by where they come from and outcome")
			.tag("source", "none")
			.tag("outcome", "unknown")
			.register(registry);
		this.caughtUp = waits(registry, "caught_up");
		this.timedOut = waits(registry, "timed_out");
	}

	@Override
	public boolean awaitCatalog(long catalogOffset) {
		if (this.tenants.isLoaded() && this.tenants.position() >= catalogOffset) {
			return true;
		}
		boolean caughtUp = this.tenants.awaitPosition(catalogOffset, this.catalogWait);
		(caughtUp ? this.caughtUp : this.timedOut).increment();
		return caughtUp;
	}

	@Override
	public boolean contains(String tenant, String templateId) {
		return this.tenants.find(tenant, templateId) != null || this.shared.contains(templateId);
	}

	/** The template a tenant uses under an id, or {@code null}. */
	public @Nullable Visible find(String tenant, String templateId) {
		TenantTemplate own = this.tenants.find(tenant, templateId);
		if (own != null) {
			return new Visible(templateId, Source.TENANT, own.compiled(), own);
		}
		CompiledTemplate shared = this.shared.find(templateId);
		return (shared != null) ? new Visible(templateId, Source.SHARED, shared, null) : null;
	}

	/** The shared templates, by id. */
	public Map<String, CompiledTemplate> shared() {
		Map<String, CompiledTemplate> shared = new TreeMap<>();
		for (String id : this.shared.templateIds()) {
			CompiledTemplate template = this.shared.find(id);
			if (template != null) {
				shared.put(id, template);
			}
		}
		return shared;
	}

	@Override
	public Rendered render(String tenant, String templateId, Channel channel, @Nullable String locale,
			Map<String, @Nullable Object> data) {
		Visible template = find(tenant, templateId);
		if (template == null) {
			this.unknown.increment();
			throw new UnknownTemplateException(templateId);
		}
		return render(template.source(), template.compiled(), channel, locale, data);
	}

	/**
	 * Renders a compiled template and counts the outcome.
	 * @param compiled the template, {@code null} for one that does not compile here
	 * @throws RenderFailedException when it cannot be rendered
	 */
	public Rendered render(Source source, @Nullable CompiledTemplate compiled, Channel channel, @Nullable String locale,
			Map<String, @Nullable Object> data) {
		try {
			if (compiled == null) {
				throw new RenderFailedException("the template cannot be compiled by this release", null);
			}
			Rendered rendered = compiled.render(channel, locale, data);
			this.rendered.get(source).increment();
			return rendered;
		}
		catch (RenderFailedException ex) {
			this.failed.get(source).increment();
			throw ex;
		}
	}

	private static Counter renders(MeterRegistry registry, Source source, String outcome) {
		return Counter.builder("herald.routing.template.renders")
			.description("Templates rendered, by where they come from and outcome")
			.tag("source", source.wireName())
			.tag("outcome", outcome)
			.register(registry);
	}

	private static Counter waits(MeterRegistry registry, String outcome) {
		return Counter.builder("herald.routing.template.catalog.waits")
			.description("Events that waited for the tenant templates to reach what their ingestion had read")
			.tag("outcome", outcome)
			.register(registry);
	}

	/** Where a template comes from. */
	public enum Source {

		/** The tenant's own, from the template API. */
		TENANT,

		/** Shared by every tenant, from the service's files. */
		SHARED;

		/** The name in JSON and metrics. */
		public String wireName() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/**
	 * A template as a tenant sees it.
	 *
	 * @param id its id
	 * @param source where it comes from
	 * @param compiled its texts compiled, {@code null} for a tenant template that does
	 * not compile here
	 * @param own the tenant template, {@code null} for a shared one
	 */
	public record Visible(String id, Source source, @Nullable CompiledTemplate compiled, @Nullable TenantTemplate own) {
	}

}
