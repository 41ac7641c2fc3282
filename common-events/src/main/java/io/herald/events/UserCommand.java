package io.herald.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A change to one user's state, as the user API accepted it: the value of
 * {@link Topics#USER_COMMANDS}, keyed {@code tenant|userId}, so that every change of one
 * user is applied in order by the routing instance that owns the user. The routing
 * topology folds these commands into a {@link UserState}.
 *
 * <p>
 * The JSON names the command in {@code command}, for example
 * {@code "command": "register-device"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "command")
@JsonSubTypes({ @JsonSubTypes.Type(value = UserCommand.UpsertProfile.class, name = "upsert-profile"),
		@JsonSubTypes.Type(value = UserCommand.MergeProfile.class, name = "merge-profile"),
		@JsonSubTypes.Type(value = UserCommand.ReplacePreferences.class, name = "replace-preferences"),
		@JsonSubTypes.Type(value = UserCommand.OptOutEmail.class, name = "opt-out-email"),
		@JsonSubTypes.Type(value = UserCommand.RegisterDevice.class, name = "register-device"),
		@JsonSubTypes.Type(value = UserCommand.RemoveDevice.class, name = "remove-device"),
		@JsonSubTypes.Type(value = UserCommand.Subscribe.class, name = "subscribe"),
		@JsonSubTypes.Type(value = UserCommand.Unsubscribe.class, name = "unsubscribe"),
		@JsonSubTypes.Type(value = UserCommand.SuppressAddress.class, name = "suppress-address"),
		@JsonSubTypes.Type(value = UserCommand.LiftSuppression.class, name = "lift-suppression"),
		@JsonSubTypes.Type(value = UserCommand.EraseUser.class, name = "erase-user") })
public sealed interface UserCommand extends Versioned {

	/**
	 * The version of the commands every release understands, written for all but the
	 * commands of {@link #CONDITIONAL_SCHEMA_VERSION}.
	 */
	int SCHEMA_VERSION = 1;

	/**
	 * The version of {@link MergeProfile}, of {@link OptOutEmail}, of a
	 * {@link SuppressAddress} with an {@code evidenceAt}, of commands with a
	 * {@link Condition} and of preferences with a digest choice
	 * ({@link ReplacePreferences#of}): a release that reads only version 1 would apply
	 * them unconditionally, as something else, without the part it does not know, or not
	 * at all, so it refuses them (they are dead-lettered) instead. The highest version
	 * this code reads.
	 */
	int CONDITIONAL_SCHEMA_VERSION = 2;

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

	/**
	 * What must hold for the command to be applied, or {@code null} when it always is.
	 */
	default @Nullable Condition condition() {
		return null;
	}

	/**
	 * Whether the command, applied to a user that is not known, creates the user. A
	 * command with a {@link #condition()} never does, nor does one about an address or a
	 * device the user has, nor an {@link OptOutEmail}: a provider's late answer or an
	 * unsubscribe link about a user who was erased meanwhile must not bring the user
	 * back.
	 */
	default boolean createsUser() {
		return condition() == null;
	}

	/**
	 * Creates the user or replaces the profile: contact points, locale, timezone.
	 *
	 * @param condition what the current profile must be for the command to be applied, or
	 * {@code null}
	 */
	record UpsertProfile(int schemaVersion, String tenant, String userId, Instant at, Profile profile,
			@Nullable Condition condition) implements UserCommand {

		public UpsertProfile {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(profile, "profile");
		}

		/** An unconditional replacement. */
		public UpsertProfile(int schemaVersion, String tenant, String userId, Instant at, Profile profile) {
			this(schemaVersion, tenant, userId, at, profile, null);
		}

	}

	/**
	 * Creates the user or changes some fields of the profile, leaving the others as they
	 * are: merged when the command is applied, so two merges of different fields both
	 * hold.
	 *
	 * @param condition what the current profile must be for the command to be applied, or
	 * {@code null}
	 */
	record MergeProfile(int schemaVersion, String tenant, String userId, Instant at, ProfilePatch patch,
			@Nullable Condition condition) implements UserCommand {

		public MergeProfile {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(patch, "patch");
		}

	}

	/**
	 * A precondition of a profile write, from the request's {@code If-Match}: the write
	 * is applied only to a known user whose profile's {@link Profile#entityTag()} is one
	 * of {@code profileTags}, or, when {@code profileTags} is empty
	 * ({@code If-Match: *}), to any known user. Never to a user that is not known.
	 * Whether it was applied is kept in the user's state under {@code requestId}
	 * ({@link UserState#verdicts()}), so the API can answer {@code 412} when it was not.
	 *
	 * @param requestId an id of the request, unique among the user's recent writes
	 * @param profileTags the acceptable entity tags, empty for any
	 */
	record Condition(String requestId, Set<String> profileTags) {

		public Condition {
			Objects.requireNonNull(requestId, "requestId");
			profileTags = (profileTags != null) ? Set.copyOf(profileTags) : Set.of();
		}

		/** Whether a known user's profile meets the condition. */
		public boolean holdsFor(Profile profile) {
			return this.profileTags.isEmpty() || this.profileTags.contains(profile.entityTag());
		}

	}

	/** Replaces the user's preferences. */
	record ReplacePreferences(int schemaVersion, String tenant, String userId, Instant at,
			Preferences preferences) implements UserCommand {

		public ReplacePreferences {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(preferences, "preferences");
		}

		/**
		 * The replacement, written as {@link #SCHEMA_VERSION} unless a category rule
		 * makes a digest choice ({@link Preferences#choosesDigests()}): a release that
		 * does not know digests would drop that choice silently, so such preferences are
		 * written as {@link #CONDITIONAL_SCHEMA_VERSION}, which it refuses.
		 */
		public static ReplacePreferences of(String tenant, String userId, Instant at, Preferences preferences) {
			int version = preferences.choosesDigests() ? CONDITIONAL_SCHEMA_VERSION : SCHEMA_VERSION;
			return new ReplacePreferences(version, tenant, userId, at, preferences);
		}

	}

	/**
	 * Turns email off in the user's preferences, as an unsubscribe link asks: one
	 * category's email, or all email. Applied to the preferences as they are when the
	 * command's turn comes ({@link #applyTo}), so a preference write that lands between
	 * the link's check and this command is kept. Never creates a user: a link of a user
	 * erased meanwhile changes nothing. Written as {@link #CONDITIONAL_SCHEMA_VERSION}.
	 *
	 * @param category the event type whose email goes, or {@code null} for all email
	 */
	record OptOutEmail(int schemaVersion, String tenant, String userId, Instant at,
			@Nullable String category) implements UserCommand {

		public OptOutEmail {
			requireIdentity(tenant, userId, at);
		}

		/**
		 * The preferences without the email this command names
		 * ({@link EmailOptOut#withoutEmail(Preferences, String)}); equal to
		 * {@code preferences} when they already send no such email.
		 */
		public Preferences applyTo(Preferences preferences) {
			return EmailOptOut.withoutEmail(preferences, this.category);
		}

		@Override
		public boolean createsUser() {
			return false;
		}

	}

	/** Adds a device, or refreshes it if the token is known. */
	record RegisterDevice(int schemaVersion, String tenant, String userId, Instant at,
			Device device) implements UserCommand {

		public RegisterDevice {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(device, "device");
		}

	}

	/**
	 * Removes a device by its token: the user removed it, or a provider said the token is
	 * dead.
	 *
	 * @param reason why, for example {@code user} or {@code unregistered}
	 */
	record RemoveDevice(int schemaVersion, String tenant, String userId, Instant at, String token,
			@Nullable String reason) implements UserCommand {

		public RemoveDevice {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(token, "token");
		}

		@Override
		public boolean createsUser() {
			return false;
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
	record Unsubscribe(int schemaVersion, String tenant, String userId, Instant at,
			String topic) implements UserCommand {

		public Unsubscribe {
			requireIdentity(tenant, userId, at);
			Objects.requireNonNull(topic, "topic");
		}

	}

	/**
	 * Stops sending to one of the user's addresses on one channel: a provider refused it
	 * for good (a hard bounce, an invalid number, an opt-out), or the API was asked to.
	 * Applied only while the user's profile has this address for this channel; otherwise
	 * (the user changed the address meanwhile) it changes nothing but
	 * {@link UserState#updatedAt()}, and for a user that is not known nothing at all. It
	 * replaces a suppression of the same channel.
	 *
	 * <p>
	 * Not applied either when its evidence ({@link #evidence()}) is older than the last
	 * lift of the channel's suppression ({@link UserState#lifts()}): a late receipt, or a
	 * failure reported again, about a message sent before an operator lifted the
	 * suppression does not undo the lift. A command with an {@code evidenceAt} is written
	 * as {@link #CONDITIONAL_SCHEMA_VERSION}: a release that reads only version 1 would
	 * apply it whatever was lifted since.
	 *
	 * @param channel {@link Channel#EMAIL} or {@link Channel#SMS}
	 * @param address the email address or E.164 number that failed
	 * @param reason why
	 * @param notificationId the notification whose sending failed, or {@code null}
	 * @param evidenceAt when what showed the failure happened: the provider's answer to
	 * the send, or, for a receipt, the send it is about; {@code null} for {@code at}
	 */
	record SuppressAddress(int schemaVersion, String tenant, String userId, Instant at, Channel channel, String address,
			SuppressionReason reason, @Nullable String notificationId,
			@Nullable Instant evidenceAt) implements UserCommand {

		public SuppressAddress {
			requireIdentity(tenant, userId, at);
			Suppression.requireAddressChannel(channel);
			Objects.requireNonNull(address, "address");
			Objects.requireNonNull(reason, "reason");
		}

		/**
		 * A command whose evidence is as old as the command ({@code evidenceAt} null).
		 */
		public SuppressAddress(int schemaVersion, String tenant, String userId, Instant at, Channel channel,
				String address, SuppressionReason reason, @Nullable String notificationId) {
			this(schemaVersion, tenant, userId, at, channel, address, reason, notificationId, null);
		}

		/**
		 * When what showed the failure happened: {@code evidenceAt}, or else {@code at}.
		 */
		public Instant evidence() {
			return (this.evidenceAt != null) ? this.evidenceAt : this.at;
		}

		/** The suppression this command records. */
		public Suppression suppression() {
			return new Suppression(this.channel, this.address, this.reason, this.at, this.notificationId);
		}

		@Override
		public boolean createsUser() {
			return false;
		}

	}

	/**
	 * Sends to the user's address on a channel again: lifts the channel's suppression, if
	 * there is one, and keeps {@code at} as the channel's last lift
	 * ({@link UserState#lifts()}), so that older evidence suppresses nothing.
	 *
	 * @param channel {@link Channel#EMAIL} or {@link Channel#SMS}
	 */
	record LiftSuppression(int schemaVersion, String tenant, String userId, Instant at,
			Channel channel) implements UserCommand {

		public LiftSuppression {
			requireIdentity(tenant, userId, at);
			Suppression.requireAddressChannel(channel);
		}

		@Override
		public boolean createsUser() {
			return false;
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
