package io.herald.routing.user;

import java.util.List;

import io.herald.management.InternalEndpoint;
import io.herald.routing.query.InternalAnswers;
import io.herald.support.web.FieldProblem;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.util.MimeTypeUtils;

/**
 * {@code GET /actuator/userstate/{tenant}/{userId}} on the management port: a user's
 * state as this instance holds it, for the other routing instances
 * ({@link UserStateQueries}). It is not part of the public API and is not on the API
 * port; the management port's filter answers only requests carrying the shared
 * {@code X-Herald-Internal} token ({@link #ID} is declared an {@link InternalEndpoint}),
 * and refuses every request when no token is configured.
 *
 * <p>
 * Answers as {@link InternalAnswers} says: {@code 200} with the {@code UserState} JSON,
 * {@code 400} for an invalid tenant or user id, {@code 404} when the user is not known,
 * and {@code 503} when this instance does not own the user (any more) or its store is not
 * queryable.
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
		List<FieldProblem> problems = InternalAnswers.tenantProblems(tenant);
		problems.addAll(PathVariables.problems(userId, null));
		if (!problems.isEmpty()) {
			return InternalAnswers.invalid(problems);
		}
		return InternalAnswers.of(this.queries.readLocal(tenant, userId), UserStateQueries.CODEC::encode,
				"User '" + userId + "'");
	}

}
