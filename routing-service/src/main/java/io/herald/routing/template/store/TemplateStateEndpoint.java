package io.herald.routing.template.store;

import io.herald.events.Identifiers;
import io.herald.management.InternalEndpoint;
import io.herald.routing.query.InternalAnswers;
import io.herald.support.web.FieldProblem;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.util.MimeTypeUtils;

import java.util.List;

/**
 * The template stores as this instance holds them, for the other routing instances
 * ({@link TemplateStateQueries}), on the management port: {@code GET
 * /actuator/templatestate/{tenant}} (the verdicts), {@code .../{tenant}/{templateId}}
 * (the template's head) and {@code .../{tenant}/{templateId}/{version}} (a kept version).
 * Not part of the public API; only requests with the shared {@code X-Herald-Internal}
 * token are answered ({@link #ID} is an {@link InternalEndpoint}), as
 * {@link InternalAnswers} says.
 */
@WebEndpoint(id = TemplateStateEndpoint.ID)
class TemplateStateEndpoint {

	static final String ID = "templatestate";

	/** The path other instances read. */
	static final String PATH = "/actuator/" + ID;

	private final TemplateStateQueries queries;

	TemplateStateEndpoint(TemplateStateQueries queries) {
		this.queries = queries;
	}

	@ReadOperation(produces = MimeTypeUtils.APPLICATION_JSON_VALUE)
	WebEndpointResponse<Object> verdicts(@Selector String tenant) {
		List<FieldProblem> problems = InternalAnswers.tenantProblems(tenant);
		if (!problems.isEmpty()) {
			return InternalAnswers.invalid(problems);
		}
		return InternalAnswers.of(this.queries.<TemplateVerdicts>readLocal(TemplateStores.VERDICTS, tenant, tenant),
				TemplateVerdicts.CODEC::encode, "No verdict of tenant '" + tenant + "'");
	}

	@ReadOperation(produces = MimeTypeUtils.APPLICATION_JSON_VALUE)
	WebEndpointResponse<Object> head(@Selector String tenant, @Selector String templateId) {
		List<FieldProblem> problems = problems(tenant, templateId);
		if (!problems.isEmpty()) {
			return InternalAnswers.invalid(problems);
		}
		return InternalAnswers.of(
				this.queries.<TemplateHead>readLocal(TemplateStores.HEADS, tenant,
						TemplateStores.head(tenant, templateId)),
				TemplateHead.CODEC::encode, "Template '" + templateId + "'");
	}

	@ReadOperation(produces = MimeTypeUtils.APPLICATION_JSON_VALUE)
	WebEndpointResponse<Object> version(@Selector String tenant, @Selector String templateId, @Selector long version) {
		List<FieldProblem> problems = problems(tenant, templateId);
		if (!problems.isEmpty()) {
			return InternalAnswers.invalid(problems);
		}
		return InternalAnswers.of(
				this.queries.<StoredVersion>readLocal(TemplateStores.VERSIONS, tenant,
						TemplateStores.version(tenant, templateId, version)),
				StoredVersion.CODEC::encode, "Version " + version + " of template '" + templateId + "'");
	}

	private static List<FieldProblem> problems(String tenant, String templateId) {
		List<FieldProblem> problems = InternalAnswers.tenantProblems(tenant);
		if (!Identifiers.matches(Identifiers.TEMPLATE, templateId)) {
			problems.add(new FieldProblem("templateId", "must be a template id matching [a-z0-9_.-]{1,100}"));
		}
		return problems;
	}

}
