package io.herald.routing.template.api;

import io.herald.events.Channel;
import io.herald.events.TemplateCommand;
import io.herald.routing.query.StoreReads;
import io.herald.routing.template.CompiledTemplate;
import io.herald.routing.template.InvalidTemplateException;
import io.herald.routing.template.TemplateBodies;
import io.herald.routing.template.TemplateProperties;
import io.herald.routing.template.TemplateRenderer;
import io.herald.routing.template.Templates;
import io.herald.routing.template.TenantTemplates;
import io.herald.routing.template.TenantTemplates.TenantTemplate;
import io.herald.routing.template.api.TemplateApiMetrics.Operation;
import io.herald.routing.template.api.TemplateViews.PreviewView;
import io.herald.routing.template.api.TemplateViews.Summary;
import io.herald.routing.template.api.TemplateViews.SummaryList;
import io.herald.routing.template.api.TemplateViews.TemplateView;
import io.herald.routing.template.api.TemplateViews.VersionList;
import io.herald.routing.template.store.StoredVersion;
import io.herald.routing.template.store.TemplateHead;
import io.herald.routing.template.store.TemplateStateQueries;
import io.herald.routing.template.store.TemplateVerdicts;
import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The template API: a tenant's own templates, their versions and previews (docs/api.md,
 * "Templates"). Writes need {@code TEMPLATES_WRITE}, reads and previews
 * {@code TEMPLATES_READ} ({@code 403} otherwise). The tenant is the API key's: a template
 * of another tenant is never found, listed, changed, previewed or rendered.
 */
@RestController
class TemplateController {

	private static final String TEMPLATES = "/v1/templates";

	private static final String TEMPLATE = TEMPLATES + "/{templateId}";

	private final TemplateWrites writes;

	private final Templates templates;

	private final TenantTemplates catalog;

	private final TemplateStateQueries store;

	private final TemplateProperties properties;

	private final TemplateApiMetrics metrics;

	TemplateController(TemplateWrites writes, Templates templates, TenantTemplates catalog, TemplateStateQueries store,
			TemplateProperties properties, TemplateApiMetrics metrics) {
		this.writes = writes;
		this.templates = templates;
		this.catalog = catalog;
		this.store = store;
		this.properties = properties;
		this.metrics = metrics;
	}

	/**
	 * Creates the template or gives it a new version. {@code 201} when it did not exist,
	 * {@code 200} for a new version (or the same texts as the current one, which make
	 * none), each with the version in force and its {@code ETag}; {@code 202} when the
	 * write is durable but not yet in force (a read shows it shortly).
	 */
	@PutMapping(path = TEMPLATE, consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<TemplateView> put(@PathVariable String templateId,
			@RequestBody(required = false) byte @Nullable [] body, HttpServletRequest request) {
		long start = System.nanoTime();
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_WRITE);
		TemplateBodies.Parsed template = counted(Operation.PUT, start, () -> {
			TemplateRequests.requireTemplateId(templateId);
			return TemplateRequests.template((body != null) ? body : new byte[0]);
		});
		TemplateCommand.Condition condition = counted(Operation.PUT, start, () -> {
			TemplateCommand.Condition parsed = TemplateConditions.write(request, templateId);
			Long current = current(key.tenant(), templateId);
			TemplateConditions.check(parsed, templateId, current);
			if (current == null && this.catalog.of(key.tenant()).size() >= this.properties.maxPerTenant()) {
				throw tooMany(key.tenant());
			}
			return parsed;
		});
		TemplateCommand command = new TemplateCommand.PutTemplate(TemplateCommand.SCHEMA_VERSION, key.tenant(),
				templateId, UUID.randomUUID().toString(), this.writes.now(), template.texts(), condition);
		return switch (write(Operation.PUT, command, start)) {
			case TemplateWrites.Outcome.Pending pending -> ResponseEntity.accepted()
				.body(TemplateView.of(templateId, Templates.Source.TENANT, null, null, template.texts()));
			case TemplateWrites.Outcome.Decided decided -> written(key.tenant(), templateId, decided);
		};
	}

	private ResponseEntity<TemplateView> written(String tenant, String templateId,
			TemplateWrites.Outcome.Decided decided) {
		TemplateVerdicts.Verdict verdict = decided.verdict();
		TenantTemplate template = decided.template();
		switch (verdict.outcome()) {
			case PRECONDITION_FAILED ->
				throw TemplateConditions.failed(templateId, (verdict.version() > 0) ? verdict.version() : null);
			case TOO_MANY_TEMPLATES -> throw tooMany(tenant);
			case NOT_FOUND, DELETED -> throw new IllegalStateException("not a put: " + verdict.outcome());
			case CREATED, UPDATED, UNCHANGED -> {
			}
		}
		if (template == null) {
			throw new IllegalStateException("a template in force has its template");
		}
		TemplateView view = view(template);
		ResponseEntity.BodyBuilder builder = (verdict.outcome() == TemplateVerdicts.Outcome.CREATED)
				? ResponseEntity.created(URI.create("/v1/templates/" + templateId)) : ResponseEntity.ok();
		return builder.eTag(TemplateConditions.etag(template.version())).body(view);
	}

	/**
	 * Deletes the template and its history. {@code 204}; {@code 404} when the tenant has
	 * no template of its own of that id (a shared template cannot be deleted);
	 * {@code 202} when durable but not yet in force.
	 */
	@DeleteMapping(TEMPLATE)
	ResponseEntity<Void> delete(@PathVariable String templateId, HttpServletRequest request) {
		long start = System.nanoTime();
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_WRITE);
		TemplateCommand.Condition condition = counted(Operation.DELETE, start, () -> {
			TemplateRequests.requireTemplateId(templateId);
			TemplateCommand.Condition parsed = TemplateConditions.write(request, templateId);
			Long current = current(key.tenant(), templateId);
			TemplateConditions.check(parsed, templateId, current);
			if (current == null) {
				throw unknown(templateId);
			}
			return parsed;
		});
		TemplateCommand command = new TemplateCommand.DeleteTemplate(TemplateCommand.SCHEMA_VERSION, key.tenant(),
				templateId, UUID.randomUUID().toString(), this.writes.now(), condition);
		return switch (write(Operation.DELETE, command, start)) {
			case TemplateWrites.Outcome.Pending pending -> ResponseEntity.accepted().build();
			case TemplateWrites.Outcome.Decided decided -> switch (decided.verdict().outcome()) {
				case DELETED -> ResponseEntity.noContent().build();
				case NOT_FOUND -> throw unknown(templateId);
				case PRECONDITION_FAILED -> throw TemplateConditions.failed(templateId,
						(decided.verdict().version() > 0) ? decided.verdict().version() : null);
				case CREATED, UPDATED, UNCHANGED, TOO_MANY_TEMPLATES ->
					throw new IllegalStateException("not a delete: " + decided.verdict().outcome());
			};
		};
	}

	/**
	 * The tenant's templates, its own and the shared ones it does not shadow, sorted by
	 * id.
	 */
	@GetMapping(TEMPLATES)
	SummaryList list(HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_READ);
		sync();
		Map<String, Summary> summaries = new TreeMap<>();
		this.templates.shared()
			.forEach((id, shared) -> summaries.put(id, new Summary(id, Templates.Source.SHARED.wireName(), null, null,
					List.copyOf(shared.texts().keySet()))));
		for (TenantTemplate own : this.catalog.of(key.tenant())) {
			summaries.put(own.id(), new Summary(own.id(), Templates.Source.TENANT.wireName(), own.version(),
					own.updatedAt(), List.copyOf(own.texts().keySet())));
		}
		return new SummaryList(List.copyOf(summaries.values()));
	}

	/**
	 * The template in force under an id: the tenant's own, else the shared one. With its
	 * {@code ETag} (its version; none for a shared template), {@code 304} when
	 * {@code If-None-Match} names it.
	 */
	@GetMapping(TEMPLATE)
	ResponseEntity<TemplateView> get(@PathVariable String templateId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_READ);
		TemplateRequests.requireTemplateId(templateId);
		sync();
		Templates.Visible visible = this.templates.find(key.tenant(), templateId);
		if (visible == null) {
			throw unknown(templateId);
		}
		TenantTemplate own = visible.own();
		CompiledTemplate compiled = visible.compiled();
		String etag;
		TemplateView view;
		if (own != null) {
			etag = TemplateConditions.etag(own.version());
			view = view(own);
		}
		else if (compiled != null) {
			etag = TemplateConditions.etag(compiled.texts());
			view = TemplateView.of(templateId, Templates.Source.SHARED, null, null, compiled.texts());
		}
		else {
			throw new IllegalStateException("a shared template is compiled");
		}
		if (TemplateConditions.notModified(request, etag)) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
		}
		return ResponseEntity.ok().eTag(etag).body(view);
	}

	/** The kept versions of the tenant's own template, newest first. */
	@GetMapping(TEMPLATE + "/versions")
	VersionList versions(@PathVariable String templateId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_READ);
		TemplateRequests.requireTemplateId(templateId);
		TemplateHead head = read(() -> this.store.head(key.tenant(), templateId));
		if (head == null || head.deleted()) {
			throw unknown(templateId);
		}
		return VersionList.of(head);
	}

	/** A kept version of the tenant's own template, with its {@code ETag}. */
	@GetMapping(TEMPLATE + "/versions/{version}")
	ResponseEntity<TemplateView> version(@PathVariable String templateId, @PathVariable String version,
			HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_READ);
		TemplateRequests.requireTemplateId(templateId);
		long number = TemplateRequests.requireVersion(version);
		StoredVersion stored = read(() -> this.store.version(key.tenant(), templateId, number));
		if (stored == null) {
			throw new ApiProblemException(ErrorCode.NOT_FOUND, "No version " + number + " of template '" + templateId
					+ "' is kept: the template has no such version, it was deleted, or the version is older than the "
					+ this.properties.maxVersions() + " kept.");
		}
		return ResponseEntity.ok()
			.eTag(TemplateConditions.etag(number))
			.body(TemplateView.of(templateId, Templates.Source.TENANT, number, stored.createdAt(), stored.texts()));
	}

	/**
	 * Renders the template in force under an id (or a kept version of the tenant's own)
	 * with the body's {@code data}, {@code locale} and {@code channels}: what each
	 * channel would show.
	 */
	@PostMapping(path = TEMPLATE + "/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
	PreviewView preview(@PathVariable String templateId, @RequestBody(required = false) byte @Nullable [] body,
			HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_READ);
		TemplateRequests.requireTemplateId(templateId);
		TemplateRequests.Preview preview = TemplateRequests.preview((body != null) ? body : new byte[0], false);
		Long version = preview.version();
		if (version != null) {
			StoredVersion stored = read(() -> this.store.version(key.tenant(), templateId, version));
			if (stored == null) {
				throw new ApiProblemException(ErrorCode.NOT_FOUND,
						"No version " + version + " of template '" + templateId + "' is kept.");
			}
			CompiledTemplate compiled;
			try {
				compiled = CompiledTemplate.compile(templateId + " version " + version, stored.texts());
			}
			catch (InvalidTemplateException ex) {
				// Written under rules this release does not share: it cannot be rendered
				// here.
				compiled = null;
			}
			return render(templateId, Templates.Source.TENANT, version, compiled, preview);
		}
		sync();
		Templates.Visible visible = this.templates.find(key.tenant(), templateId);
		if (visible == null) {
			throw unknown(templateId);
		}
		TenantTemplate own = visible.own();
		return render(templateId, visible.source(), (own != null) ? own.version() : null, visible.compiled(), preview);
	}

	/**
	 * Checks a template that is not stored, and renders it as
	 * {@code /{templateId}/preview} does.
	 */
	@PostMapping(path = TEMPLATES + ":preview", consumes = MediaType.APPLICATION_JSON_VALUE)
	PreviewView previewUnsaved(@RequestBody(required = false) byte @Nullable [] body, HttpServletRequest request) {
		CurrentApiKey.require(request, Scope.TEMPLATES_READ);
		TemplateRequests.Preview preview = TemplateRequests.preview((body != null) ? body : new byte[0], true);
		TemplateBodies.Parsed template = preview.template();
		if (template == null) {
			throw new IllegalStateException("a checked unsaved preview has its template");
		}
		return render(null, null, null, template.compiled(), preview);
	}

	private PreviewView render(@Nullable String templateId, Templates.@Nullable Source source, @Nullable Long version,
			@Nullable CompiledTemplate compiled, TemplateRequests.Preview preview) {
		Map<String, Map<String, String>> channels = new LinkedHashMap<>();
		List<FieldProblem> failures = new ArrayList<>();
		for (Channel channel : preview.channels()) {
			try {
				TemplateRenderer.Rendered rendered = this.templates.render(
						(source != null) ? source : Templates.Source.TENANT, compiled, channel, preview.locale(),
						preview.data());
				channels.put(channel.wireName(), TemplateViews.message(channel, rendered));
			}
			catch (TemplateRenderer.RenderFailedException ex) {
				failures.add(new FieldProblem("channels." + channel.wireName(), String.valueOf(ex.getMessage())));
			}
		}
		if (!failures.isEmpty()) {
			throw new ApiProblemException(ErrorCode.RENDER_FAILED,
					"The template cannot be rendered with this data " + "for " + failures.size()
							+ " channel(s); events naming it would be suppressed (render_failed).",
					failures, HttpHeaders.EMPTY);
		}
		return new PreviewView(templateId, (source != null) ? source.wireName() : null, version, preview.locale(),
				channels);
	}

	/**
	 * Checks a write before it is published, counting the outcome of a check that refuses
	 * it.
	 */
	private <T> T counted(Operation operation, long start, Supplier<T> check) {
		try {
			return check.get();
		}
		catch (ApiProblemException ex) {
			this.metrics.written(operation, outcome(ex), start);
			throw ex;
		}
	}

	/**
	 * Publishes a write and counts its outcome: the verdict's, or pending, or why it
	 * failed.
	 */
	private TemplateWrites.Outcome write(Operation operation, TemplateCommand command, long start) {
		TemplateWrites.Outcome outcome;
		try {
			outcome = this.writes.write(command);
		}
		catch (ApiProblemException ex) {
			this.metrics.written(operation, outcome(ex), start);
			throw ex;
		}
		this.metrics.written(operation, switch (outcome) {
			case TemplateWrites.Outcome.Pending pending -> "pending";
			case TemplateWrites.Outcome.Decided decided -> decided.verdict().outcome().name().toLowerCase(Locale.ROOT);
		}, start);
		return outcome;
	}

	/**
	 * The tenant's own template's version in force, after reading every change
	 * acknowledged before.
	 */
	private @Nullable Long current(String tenant, String templateId) {
		sync();
		TenantTemplate own = this.catalog.find(tenant, templateId);
		return (own != null) ? own.version() : null;
	}

	private void sync() {
		this.catalog.sync(this.properties.syncTimeout());
	}

	/**
	 * Reads the template store, retrying while it is unavailable; {@code null} when the
	 * key has no value.
	 */
	private <V> @Nullable V read(Supplier<StoreReads.Read<V>> read) {
		long deadline = System.nanoTime() + this.properties.queryTimeout().toNanos();
		while (true) {
			switch (read.get()) {
				case StoreReads.Read.Found<V> found -> {
					return found.value();
				}
				case StoreReads.Read.Missing<V> missing -> {
					return null;
				}
				case StoreReads.Read.Unavailable<V> unavailable -> {
					if (!TemplateWrites.pause(deadline)) {
						throw TemplateWrites.unavailable(
								"The template store is not available right now (the routing "
										+ "service is starting or rebalancing); retry later.",
								this.properties.unavailableRetryAfter());
					}
				}
			}
		}
	}

	private static TemplateView view(TenantTemplate template) {
		return TemplateView.of(template.id(), Templates.Source.TENANT, template.version(), template.updatedAt(),
				template.texts());
	}

	private ApiProblemException tooMany(String tenant) {
		return new ApiProblemException(ErrorCode.TOO_MANY_TEMPLATES, "Tenant '" + tenant + "' has "
				+ this.properties.maxPerTenant() + " templates, as many as it may have; delete one first.");
	}

	private static ApiProblemException unknown(String templateId) {
		return new ApiProblemException(ErrorCode.NOT_FOUND, "No template '" + templateId + "'.");
	}

	private static String outcome(ApiProblemException ex) {
		return switch (ex.code()) {
			case INVALID_REQUEST, MALFORMED_JSON -> "invalid";
			case PRECONDITION_FAILED -> "precondition_failed";
			case TOO_MANY_TEMPLATES -> "too_many_templates";
			case NOT_FOUND -> "not_found";
			case SERVICE_UNAVAILABLE -> "unavailable";
			default -> ex.code().code();
		};
	}

}
