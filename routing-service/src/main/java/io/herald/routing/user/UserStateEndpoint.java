package io.herald.routing.user;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.events.Identifiers;
import io.herald.management.InternalEndpoint;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.http.ProblemDetail;
import org.springframework.util.MimeTypeUtils;

/**
 * {@code GET /actuator/userstate/{tenant}/{userId}} on the management port: a user's state as
 * this instance holds it, for the other routing instances ({@link UserStateForwarder}). It is not
 * part of the public API and is not on the API port; the management port's filter answers only
 * requests carrying the shared {@code X-Herald-Internal} token ({@link #ID} is declared an
 * {@link InternalEndpoint}), and refuses every request when no token is configured.
 *
 * <p>Answers {@code 200} with the {@code UserState} JSON, {@code 400} for an invalid tenant or
 * user id, {@code 404} when the user is not known, and {@code 503} when this instance does not own
 * the user (any more) or its store is not queryable: it never forwards, so two instances with
 * different views of the metadata cannot bounce a request between them. Errors carry a problem
 * detail's members.
 */
@WebEndpoint(id = UserStateEndpoint.ID)
class UserStateEndpoint {

	static final String ID = "userstate";

	private final UserStateQueries queries;

	UserStateEndpoint(UserStateQueries queries) {
		this.queries = queries;
	}

	@ReadOperation(produces = MimeTypeUtils.APPLICATION_JSON_VALUE)
	WebEndpointResponse<Object> userState(@Selector String tenant, @Selector String userId) {
		List<FieldProblem> problems = new ArrayList<>();
		if (!Identifiers.matches(Identifiers.TENANT, tenant)) {
			problems.add(new FieldProblem("tenant", "must be a tenant matching " + Identifiers.TENANT_REGEX));
		}
		problems.addAll(PathVariables.problems(userId, null));
		if (!problems.isEmpty()) {
			Map<String, Object> problem = problem(ErrorCode.INVALID_REQUEST.problem("The path is invalid."));
			problem.put("errors", problems);
			return new WebEndpointResponse<>(problem, WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		return switch (this.queries.lookupLocal(tenant, userId)) {
			case Lookup.Found found -> new WebEndpointResponse<>(UserStateForwarder.CODEC.encode(found.state()));
			case Lookup.Missing missing -> new WebEndpointResponse<>(
					problem(ErrorCode.NOT_FOUND.problem("No user '" + userId + "' is known.")),
					WebEndpointResponse.STATUS_NOT_FOUND);
			case Lookup.Unavailable unavailable -> new WebEndpointResponse<>(
					problem(ErrorCode.SERVICE_UNAVAILABLE.problem("Not available here: " + unavailable.reason())),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		};
	}

	private static Map<String, Object> problem(ProblemDetail detail) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("type", detail.getType().toString());
		json.put("title", detail.getTitle());
		json.put("status", detail.getStatus());
		json.put("detail", detail.getDetail());
		if (detail.getProperties() != null) {
			json.putAll(detail.getProperties());
		}
		return json;
	}

}
