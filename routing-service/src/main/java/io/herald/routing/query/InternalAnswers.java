package io.herald.routing.query;

import io.herald.events.Identifiers;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import io.herald.support.web.Problems;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The answers of the routing instances' internal read endpoints
 * ({@code /actuator/userstate}, {@code /actuator/templatestate}, management port, shared
 * token): {@code 200} with the record's JSON, {@code 400} for an invalid path,
 * {@code 404} when there is none, and {@code 503} when this instance does not own the key
 * (any more) or its store is not queryable. They never forward, so two instances with
 * different views of the metadata cannot bounce a request between them. Errors carry a
 * problem detail's members.
 */
public final class InternalAnswers {

	private InternalAnswers() {
	}

	/** The problems of a tenant id in a path, none when it is valid. */
	public static List<FieldProblem> tenantProblems(String tenant) {
		List<FieldProblem> problems = new ArrayList<>();
		if (!Identifiers.matches(Identifiers.TENANT, tenant)) {
			problems.add(new FieldProblem("tenant", "must be a tenant matching " + Identifiers.TENANT_REGEX));
		}
		return problems;
	}

	/** {@code 400} naming the offending path variables. */
	public static WebEndpointResponse<Object> invalid(List<FieldProblem> problems) {
		Map<String, Object> problem = Problems.members(ErrorCode.INVALID_REQUEST.problem("The path is invalid."));
		problem.put("errors", problems);
		return new WebEndpointResponse<>(problem, WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	/**
	 * The answer to a local read.
	 * @param read what this instance read
	 * @param encode the record's JSON
	 * @param missing what is not there, for the {@code 404}
	 */
	public static <V> WebEndpointResponse<Object> of(StoreReads.Read<V> read, Function<V, byte[]> encode,
			String missing) {
		return switch (read) {
			case StoreReads.Read.Found<V> found -> new WebEndpointResponse<>(encode.apply(found.value()));
			case StoreReads.Read.Missing<V> none ->
				new WebEndpointResponse<>(Problems.members(ErrorCode.NOT_FOUND.problem(missing + " is not known.")),
						WebEndpointResponse.STATUS_NOT_FOUND);
			case StoreReads.Read.Unavailable<V> unavailable -> new WebEndpointResponse<>(
					Problems
						.members(ErrorCode.SERVICE_UNAVAILABLE.problem("Not available here: " + unavailable.reason())),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		};
	}

}
