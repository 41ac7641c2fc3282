package io.herald.routing.user;

import io.herald.events.Profile;
import io.herald.events.ProfilePatch;
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
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
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
 * A user's profile and preferences, the topics the user follows, and erasure (API.md
 * section 2). A user is known once any write created it; reads of a user that is not
 * known, or belongs to another tenant, are {@code 404}.
 */
@RestController
@RequestMapping("/v1/users/{userId}")
class UserController {

	/** The media type of a JSON merge patch (RFC 7396). */
	static final String MERGE_PATCH_JSON = "application/merge-patch+json";

	private final UserWrites writes;

	private final UserStateQueries queries;

	private final UserPreferences preferences;

	UserController(UserWrites writes, UserStateQueries queries, UserPreferences preferences) {
		this.writes = writes;
		this.queries = queries;
		this.preferences = preferences;
	}

	/**
	 * Replaces the profile; with {@code If-Match}, only the profile of that {@code ETag}.
	 */
	@PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ProfileBody> putProfile(@PathVariable String userId, @RequestBody JsonNode body,
			HttpServletRequest request) {
		ApiKey key = writer(request, userId);
		Profile profile = ProfileValidator.validate(body).orElseReject();
		return writeProfile(request, key, userId, (condition) -> new UserCommand.UpsertProfile(schemaVersion(condition),
				key.tenant(), userId, this.writes.now(), profile, condition), ProfileBody.of(profile));
	}

	/**
	 * Changes the fields the body names, as a JSON merge patch (RFC 7396): {@code null}
	 * removes a field, an absent one keeps its value. Merged where the user's commands
	 * are applied, in their order, so concurrent patches of different fields all hold.
	 * {@code 202} has no body: what the profile will be is not known before the merge.
	 */
	@PatchMapping(consumes = { MERGE_PATCH_JSON, MediaType.APPLICATION_JSON_VALUE })
	ResponseEntity<ProfileBody> patchProfile(@PathVariable String userId, @RequestBody JsonNode body,
			HttpServletRequest request) {
		ApiKey key = writer(request, userId);
		ProfilePatch patch = ProfileValidator.validatePatch(body).orElseReject();
		return writeProfile(request, key, userId,
				(condition) -> new UserCommand.MergeProfile(UserCommand.CONDITIONAL_SCHEMA_VERSION, key.tenant(),
						userId, this.writes.now(), patch, condition),
				null);
	}

	/**
	 * Publishes a checked profile write with the condition of its {@code If-Match}, and
	 * answers.
	 * @param requested what a {@code 202} answers with, {@code null} for no body
	 */
	private ResponseEntity<ProfileBody> writeProfile(HttpServletRequest request, ApiKey key, String userId,
			Function<UserCommand.@Nullable Condition, UserCommand> command, @Nullable ProfileBody requested) {
		UserCommand.Condition condition = condition(request, key, userId);
		return profileAnswer(this.writes.write(command.apply(condition)), userId, requested);
	}

	/**
	 * The profile, with its {@code ETag}; {@code 304} when {@code If-None-Match} names
	 * it.
	 */
	@GetMapping
	ResponseEntity<ProfileBody> getProfile(@PathVariable String userId, HttpServletRequest request) {
		Profile profile = read(userId, request).profile();
		return ResponseEntity.ok().eTag(profile.entityTag()).body(ProfileBody.of(profile));
	}

	/**
	 * The condition of a profile write, checked against the current state; {@code null}
	 * for none.
	 */
	private UserCommand.@Nullable Condition condition(HttpServletRequest request, ApiKey key, String userId) {
		UserCommand.Condition condition = IfMatch.condition(request, userId);
		if (condition != null) {
			IfMatch.check(condition, this.queries.lookup(key.tenant(), userId), userId);
		}
		return condition;
	}

	private static int schemaVersion(UserCommand.@Nullable Condition condition) {
		return (condition != null) ? UserCommand.CONDITIONAL_SCHEMA_VERSION : UserCommand.SCHEMA_VERSION;
	}

	/**
	 * The answer to a profile write: {@code 200} with the stored profile and its
	 * {@code ETag}, {@code 412} when its condition failed, {@code 202} with
	 * {@code requested} when the state does not show it yet (a conditional write may then
	 * still be refused: a read tells).
	 */
	private static ResponseEntity<ProfileBody> profileAnswer(UserWrites.Outcome outcome, String userId,
			@Nullable ProfileBody requested) {
		return switch (outcome) {
			case UserWrites.Outcome.Applied applied -> {
				Profile stored = applied.state().profile();
				yield ResponseEntity.ok().eTag(stored.entityTag()).body(ProfileBody.of(stored));
			}
			case UserWrites.Outcome.Refused refused -> throw IfMatch.failed(userId, refused.state());
			case UserWrites.Outcome.Erased erased -> throw new IllegalStateException("not an erasure");
			case UserWrites.Outcome.Pending pending -> ResponseEntity.accepted().body(requested);
		};
	}

	/**
	 * Erases the user: always publishes {@link UserCommand.EraseUser}, even for a user
	 * routing does not know, because other services (the inbox) may hold data about the
	 * user.
	 */
	@DeleteMapping
	ResponseEntity<Void> erase(@PathVariable String userId, HttpServletRequest request) {
		ApiKey key = writer(request, userId);
		UserCommand command = new UserCommand.EraseUser(UserCommand.SCHEMA_VERSION, key.tenant(), userId,
				this.writes.now());
		return deleted(this.writes.write(command));
	}

	@PutMapping(path = "/preferences", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<PreferencesBody> putPreferences(@PathVariable String userId, @RequestBody JsonNode body,
			HttpServletRequest request) {
		ApiKey key = writer(request, userId);
		UserPreferences.Replaced replaced = this.preferences.replace(key.tenant(), userId,
				UserPreferences.validate(body));
		PreferencesBody answer = PreferencesBody.of(replaced.preferences());
		return replaced.applied() ? ResponseEntity.ok(answer) : ResponseEntity.accepted().body(answer);
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

	/** The key of a write, which may write users, and the checked user id. */
	private static ApiKey writer(HttpServletRequest request, String userId) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_WRITE);
		PathVariables.requireUserId(userId);
		return key;
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
	 * The answer to a write: {@code 200} with what is stored once the state shows it,
	 * else {@code 202} with what the command asked for.
	 */
	static <T> ResponseEntity<T> answer(UserWrites.Outcome outcome, Function<UserState, T> stored, T requested) {
		return switch (outcome) {
			case UserWrites.Outcome.Applied applied -> ResponseEntity.ok(stored.apply(applied.state()));
			case UserWrites.Outcome.Erased erased -> throw new IllegalStateException("not an erasure");
			case UserWrites.Outcome.Refused refused -> throw new IllegalStateException("not conditional");
			case UserWrites.Outcome.Pending pending -> ResponseEntity.accepted().body(requested);
		};
	}

	/** The answer to a removal: {@code 204} once the state shows it, else {@code 202}. */
	static ResponseEntity<Void> deleted(UserWrites.Outcome outcome) {
		return (outcome instanceof UserWrites.Outcome.Pending) ? ResponseEntity.accepted().build()
				: ResponseEntity.noContent().build();
	}

}
