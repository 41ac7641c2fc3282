package io.herald.routing.user;

import io.herald.events.Preferences;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * Users' preferences, for every way they are read and written: the user API with an API
 * key, the gateway on behalf of a user ({@link UserPreferencesEndpoint}), and unsubscribe
 * links. A write is one command on {@code herald.user-commands}, folded into the user
 * state like any other, then awaited until the state shows it ({@link UserWrites}): a
 * {@link UserCommand.ReplacePreferences}, or for a link a
 * {@link UserCommand.OptOutEmail}, which the fold applies to the preferences as they are
 * then.
 */
@Component
public class UserPreferences {

	private final UserWrites writes;

	private final UserStateQueries queries;

	UserPreferences(UserWrites writes, UserStateQueries queries) {
		this.writes = writes;
		this.queries = queries;
	}

	/**
	 * Checks a request body with the user API's rules.
	 * @throws io.herald.support.web.ApiProblemException {@code 400 invalid_request}
	 * naming every offending field
	 */
	static Preferences validate(JsonNode body) {
		return PreferencesValidator.validate(body).orElseReject();
	}

	/**
	 * The user's preferences, retrying while the state is unavailable.
	 * @return the preferences (the defaults for a known user who never set any), or empty
	 * when the user is not known
	 * @throws io.herald.support.web.ApiProblemException {@code 503} when the state stays
	 * unavailable
	 */
	public Optional<Preferences> find(String tenant, String userId) {
		return this.queries.find(tenant, userId).map(UserState::preferences);
	}

	/**
	 * Replaces the user's preferences (creating the user when not known).
	 * @return what is stored once the state shows it, else what was asked for
	 * @throws io.herald.support.web.ApiProblemException {@code 503} when the command log
	 * does not acknowledge the command: nothing may have been written
	 */
	public Replaced replace(String tenant, String userId, Preferences preferences) {
		UserCommand command = UserCommand.ReplacePreferences.of(tenant, userId, this.writes.now(), preferences);
		return switch (this.writes.write(command)) {
			case UserWrites.Outcome.Applied applied -> new Replaced(applied.state().preferences(), true);
			case UserWrites.Outcome.Pending pending -> new Replaced(preferences, false);
			case UserWrites.Outcome.Erased erased -> throw new IllegalStateException("not an erasure");
			case UserWrites.Outcome.Refused refused -> throw new IllegalStateException("not conditional");
		};
	}

	/**
	 * Turns email off in the user's preferences when the command's turn comes in the
	 * fold, whatever was written meanwhile; for a user not known (erased meanwhile),
	 * nothing. Returns once the state shows it, or after the read-your-writes timeout
	 * (the command is durable either way).
	 * @param category the event type whose email goes, or {@code null} for all email
	 * @throws io.herald.support.web.ApiProblemException {@code 503} when the command log
	 * does not acknowledge the command: nothing may have been written
	 */
	public void optOutOfEmail(String tenant, String userId, @Nullable String category) {
		this.writes.write(new UserCommand.OptOutEmail(UserCommand.CONDITIONAL_SCHEMA_VERSION, tenant, userId,
				this.writes.now(), category));
	}

	/**
	 * A replacement whose command is durable.
	 *
	 * @param preferences what the user state holds if {@code applied}, else what the
	 * command asked for
	 * @param applied whether the user state already shows it ({@code 200}), or not yet
	 * ({@code 202}: a later read returns it)
	 */
	public record Replaced(Preferences preferences, boolean applied) {
	}

}
