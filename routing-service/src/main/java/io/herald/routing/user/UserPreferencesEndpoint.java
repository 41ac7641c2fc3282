package io.herald.routing.user;

import io.herald.events.Preferences;
import io.herald.management.InternalEndpoint;
import io.herald.routing.query.InternalAnswers;
import io.herald.routing.user.Representations.PreferencesBody;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import io.herald.support.web.Problems;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /actuator/userpreferences/{tenant}/{userId}} on the management port: a user's
 * preferences, read and replaced on the user's behalf by the websocket gateway, which has
 * authenticated the user with a user token ({@code GET} and {@code PUT
 * /v1/inbox/preferences}). Not part of the public API and not on the API port; the
 * management port's filter lets only requests with the preferences token
 * ({@code herald.routing.preferences-token}, or the instances' shared token while it is
 * unset) in {@code X-Herald-Internal} through ({@link #ID} is declared an
 * {@link InternalEndpoint}), and refuses every request when no token is configured. The
 * preferences token opens no other endpoint. Unlike {@link UserStateEndpoint} it answers
 * for any user, forwarding reads to the owner as the user API does, so the gateway may
 * ask any instance.
 *
 * <ul>
 * <li>{@code GET}: {@code 200} with the preferences as {@code GET
 * /v1/users/{userId}/preferences} has them; the defaults for a user routing does not know
 * (a user token's user need not have been registered).</li>
 * <li>{@code POST} with {@code {"preferences": "<the JSON body, as text>"}} (an actuator
 * write operation binds top-level members, so the user's body travels as one string):
 * checked with the rules of {@code PUT /v1/users/{userId}/preferences}, then as that
 * endpoint: {@code 200} with what is stored, {@code 202} with what was asked for.</li>
 * <li>Errors carry a problem detail's members, the same as the user API's:
 * {@code 400 invalid_request} naming every field ({@code malformed_json} for text that is
 * not JSON), {@code 503 service_unavailable}.</li>
 * </ul>
 */
@WebEndpoint(id = UserPreferencesEndpoint.ID)
class UserPreferencesEndpoint {

	static final String ID = "userpreferences";

	private final UserPreferences preferences;

	private final JsonMapper json;

	UserPreferencesEndpoint(UserPreferences preferences, JsonMapper json) {
		this.preferences = preferences;
		this.json = json;
	}

	@ReadOperation(produces = MimeTypeUtils.APPLICATION_JSON_VALUE)
	WebEndpointResponse<Object> preferences(@Selector String tenant, @Selector String userId) {
		return answer(tenant, userId, () -> {
			Preferences stored = this.preferences.find(tenant, userId).orElse(Preferences.DEFAULT);
			return new WebEndpointResponse<>(body(stored));
		});
	}

	@WriteOperation(produces = MimeTypeUtils.APPLICATION_JSON_VALUE)
	WebEndpointResponse<Object> replace(@Selector String tenant, @Selector String userId, String preferences) {
		return answer(tenant, userId, () -> {
			Preferences requested = UserPreferences.validate(parse(preferences));
			UserPreferences.Replaced replaced = this.preferences.replace(tenant, userId, requested);
			return new WebEndpointResponse<>(body(replaced.preferences()),
					replaced.applied() ? WebEndpointResponse.STATUS_OK : 202);
		});
	}

	private WebEndpointResponse<Object> answer(String tenant, String userId,
			Supplier<WebEndpointResponse<Object>> action) {
		List<FieldProblem> problems = InternalAnswers.tenantProblems(tenant);
		problems.addAll(PathVariables.problems(userId, null));
		if (!problems.isEmpty()) {
			return InternalAnswers.invalid(problems);
		}
		try {
			return action.get();
		}
		catch (ApiProblemException ex) {
			return new WebEndpointResponse<>(Problems.members(ex.problem()), ex.code().status().value());
		}
	}

	private JsonNode parse(String text) {
		try {
			return this.json.readTree(text);
		}
		catch (JacksonException ex) {
			throw new ApiProblemException(ErrorCode.MALFORMED_JSON, "The body is not valid JSON.");
		}
	}

	private byte[] body(Preferences preferences) {
		return this.json.writeValueAsBytes(PreferencesBody.of(preferences));
	}

}
