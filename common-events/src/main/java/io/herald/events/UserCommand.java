package io.herald.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Objects;

/**
 * A change to one user's state, as the user API accepted it: the value of
 * {@link Topics#USER_COMMANDS}, keyed {@code tenant|userId}, so that every change of one user is
 * applied in order by the routing instance that owns the user. The routing topology folds these
 * commands into a {@link UserState}.
 *
 * <p>The JSON names the command in {@code command}, for example {@code "command": "register-device"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "command")
@JsonSubTypes({ @JsonSubTypes.Type(value = UserCommand.UpsertProfile.class, name = "upsert-profile"),
		@JsonSubTypes.Type(value = UserCommand.ReplacePreferences.class, name = "replace-preferences"),
		@JsonSubTypes.Type(value = UserCommand.RegisterDevice.class, name = "register-device"),
		@JsonSubTypes.Type(value = UserCommand.RemoveDevice.class, name = "remove-device"),
		@JsonSubTypes.Type(value = UserCommand.Subscribe.class, name = "subscribe"),
		@JsonSubTypes.Type(value = UserCommand.Unsubscribe.class, name = "unsubscribe"),
		@JsonSubTypes.Type(value = UserCommand.EraseUser.class, name = "erase-user") })
public sealed interface UserCommand extends Versioned {

	/** The version written by this code. */
	int SCHEMA_VERSION = 1;

	/** The tenant of the user. */
	String tenant();

	/** The user. */
	String userId();

	/** When the API accepted the command. */
	Instant at();

	/** The key of the command on its topic. */
	default String key() {
		return PartitionKeys.user(tenant(), userId());
	}

	/** Creates the user or replaces the profile: contact points, locale, timezone. */
	record UpsertProfile(int schemaVersion, String tenant, String userId, Instant at, Profile profile)
			implements UserCommand {

		public UpsertProfile {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(profile, "profile");
		}

	}

	/** Replaces the user's preferences. */
	record ReplacePreferences(int schemaVersion, String tenant, String userId, Instant at, Preferences preferences)
			implements UserCommand {

		public ReplacePreferences {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(preferences, "preferences");
		}

	}

	/** Adds a device, or refreshes it if the token is known. */
	record RegisterDevice(int schemaVersion, String tenant, String userId, Instant at, Device device)
			implements UserCommand {

		public RegisterDevice {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(device, "device");
		}

	}

	/**
	 * Removes a device by its token: the user removed it, or a provider said the token is dead.
	 * @param reason why, for example {@code user} or {@code unregistered}
	 */
	record RemoveDevice(int schemaVersion, String tenant, String userId, Instant at, String token,
			@Nullable String reason) implements UserCommand {

		public RemoveDevice {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(token, "token");
		}

	}

	/** Subscribes the user to a topic for fan-out. */
	record Subscribe(int schemaVersion, String tenant, String userId, Instant at, String topic) implements UserCommand {

		public Subscribe {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(topic, "topic");
		}

	}

	/** Unsubscribes the user from a topic. */
	record Unsubscribe(int schemaVersion, String tenant, String userId, Instant at, String topic)
			implements UserCommand {

		public Unsubscribe {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(topic, "topic");
		}

	}

	/** Erases everything Herald keeps about the user (GDPR erasure). */
	record EraseUser(int schemaVersion, String tenant, String userId, Instant at) implements UserCommand {

		public EraseUser {
			requireIdentity(tenant, userId, at);
		}

	}

	private static void requireIdentity(String tenant, String userId, Instant at) {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(at, "at");
	}

}
