package io.herald.routing.user;

import io.herald.events.Identifiers;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /internal/users/{tenant}/{userId}}: a user's state as this instance holds it, for
 * the other routing instances ({@link UserStateForwarder}). It is not part of the public API and
 * takes no API key: only requests carrying the shared {@code X-Herald-Internal} token are
 * answered ({@code 403} otherwise).
 *
 * <p>Answers {@code 200} with the {@code UserState} JSON, {@code 404} when the user is not known,
 * and {@code 503} when this instance does not own the user (any more) or its store is not
 * queryable: it never forwards, so two instances with different views of the metadata cannot
 * bounce a request between them.
 */
@RestController
class InternalUserStateController {

	private final UserStateQueries queries;

	private final byte[] token;

	InternalUserStateController(UserStateQueries queries, InternalApiProperties properties) {
		this.queries = queries;
		this.token = properties.internalToken().getBytes(StandardCharsets.UTF_8);
	}

	@GetMapping(path = "/internal/users/{tenant}/{userId}", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<byte[]> userState(@PathVariable String tenant, @PathVariable String userId,
			@RequestHeader(name = UserStateForwarder.TOKEN_HEADER, required = false) @Nullable String token) {
		if (token == null || !MessageDigest.isEqual(this.token, token.getBytes(StandardCharsets.UTF_8))) {
			throw new ApiProblemException(ErrorCode.FORBIDDEN, "Internal endpoints need the instances' shared token.");
		}
		List<FieldProblem> problems = new ArrayList<>();
		if (!Identifiers.matches(Identifiers.TENANT, tenant)) {
			problems.add(new FieldProblem("tenant", "must be a tenant matching " + Identifiers.TENANT_REGEX));
		}
		problems.addAll(PathVariables.problems(userId, null));
		if (!problems.isEmpty()) {
			throw Validated.rejection(problems);
		}
		return switch (this.queries.lookupLocal(tenant, userId)) {
			case Lookup.Found found -> ResponseEntity.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.body(UserStateForwarder.CODEC.encode(found.state()));
			case Lookup.Missing missing -> throw UserController.unknownUser(userId);
			case Lookup.Unavailable unavailable ->
				throw Unavailable.problem("Not available here: " + unavailable.reason(), Duration.ofSeconds(1));
		};
	}

}
