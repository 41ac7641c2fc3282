package io.herald.routing.user;

import io.herald.events.Preferences;
import io.herald.events.Profile;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import io.herald.routing.user.Representations.PreferencesBody;
import io.herald.routing.user.Representations.ProfileBody;
import io.herald.routing.user.Representations.TopicsBody;
import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A user's profile and preferences, the topics the user follows, and erasure (API.md section 2).
 * A user is known once any write created it; reads of a user that is not known, or belongs to
 * another tenant, are {@code 404}.
 */
@RestController
@RequestMapping("/v1/users/{userId}")
class UserController {

	private final UserWrites writes;

	private final UserStateQueries queries;

	UserController(UserWrites writes, UserStateQueries queries) {
		this.writes = writes;
		this.queries = queries;
	}

	@PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ProfileBody> putProfile(@PathVariable String userId, @RequestBody JsonNode body,
			HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_WRITE);
		PathVariables.requireUserId(userId);
		Profile profile = ProfileValidator.validate(body).orElseReject();
		UserCommand command = new UserCommand.UpsertProfile(UserCommand.SCHEMA_VERSION, key.tenant(), userId,
				this.writes.now(), profile);
		return answer(this.writes.write(command), (state) -> ProfileBody.of(state.profile()), ProfileBody.of(profile));
	}

	@GetMapping
	ProfileBody getProfile(@PathVariable String userId, HttpServletRequest request) {
		return ProfileBody.of(read(userId, request).profile());
	}

	/**
	 * Erases the user: always publishes {@link UserCommand.EraseUser}, even for a user routing
	 * does not know, because other services (the inbox) may hold data about the user.
	 */
	@DeleteMapping
	ResponseEntity<Void> erase(@PathVariable String userId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_WRITE);
		PathVariables.requireUserId(userId);
		UserCommand command = new UserCommand.EraseUser(UserCommand.SCHEMA_VERSION, key.tenant(), userId,
				this.writes.now());
		return deleted(this.writes.write(command));
	}

	@PutMapping(path = "/preferences", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<PreferencesBody> putPreferences(@PathVariable String userId, @RequestBody JsonNode body,
			HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_WRITE);
		PathVariables.requireUserId(userId);
		Preferences preferences = PreferencesValidator.validate(body).orElseReject();
		UserCommand command = new UserCommand.ReplacePreferences(UserCommand.SCHEMA_VERSION, key.tenant(), userId,
				this.writes.now(), preferences);
		return answer(this.writes.write(command), (state) -> PreferencesBody.of(state.preferences()),
				PreferencesBody.of(preferences));
	}

	/** The user's preferences; the defaults for a known user who never set any. */
	@GetMapping("/preferences")
	PreferencesBody getPreferences(@PathVariable String userId, HttpServletRequest request) {
		return PreferencesBody.of(read(userId, request).preferences());
	}

	/** The topics the user is subscribed to, sorted by name. */
	@GetMapping("/topics")
	TopicsBody getTopics(@PathVariable String userId, HttpServletRequest request) {
		return new TopicsBody(List.copyOf(new TreeSet<>(read(userId, request).topics())));
	}

	private UserState read(String userId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_READ);
		PathVariables.requireUserId(userId);
		return this.queries.find(key.tenant(), userId).orElseThrow(() -> unknownUser(userId));
	}

	/** {@code 404} for a user that is not known to the caller's tenant. */
	static ApiProblemException unknownUser(String userId) {
		return new ApiProblemException(ErrorCode.NOT_FOUND, "No user '" + userId + "'.");
	}

	/**
	 * The answer to a write: {@code 200} with what is stored once the state shows it, else
	 * {@code 202} with what the command asked for.
	 */
	static <T> ResponseEntity<T> answer(UserWrites.Outcome outcome, Function<UserState, T> stored, T requested) {
		return switch (outcome) {
			case UserWrites.Outcome.Applied applied -> ResponseEntity.ok(stored.apply(applied.state()));
			case UserWrites.Outcome.Erased erased -> throw new IllegalStateException("not an erasure");
			case UserWrites.Outcome.Pending pending -> ResponseEntity.accepted().body(requested);
		};
	}

	/** The answer to a removal: {@code 204} once the state shows it, else {@code 202}. */
	static ResponseEntity<Void> deleted(UserWrites.Outcome outcome) {
		return (outcome instanceof UserWrites.Outcome.Pending) ? ResponseEntity.accepted().build()
				: ResponseEntity.noContent().build();
	}

}
