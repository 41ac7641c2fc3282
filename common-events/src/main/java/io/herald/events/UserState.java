package io.herald.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything routing knows about one user: the fold of the user's {@link UserCommand}s.
 * Kept in the routing topology's state store (its changelog topic makes it durable) and
 * served by the user API's reads.
 *
 * @param schemaVersion the version of this record's shape
 * @param tenant the tenant
 * @param userId the user
 * @param profile contact points, locale, timezone
 * @param preferences what the user wants to receive
 * @param devices registered devices, newest last, at most one per token
 * @param topics the topics the user is subscribed to
 * @param updatedAt when the last command was applied
 * @param verdicts whether each of the user's latest conditional commands
 * ({@link UserCommand#condition()}) was applied, oldest first, at most
 * {@link #MAX_VERDICTS}: how the API learns that a write's {@code If-Match} failed
 * @param suppressions the addresses of the profile that Herald does not send to, at most
 * one per channel, in channel order: each is about the address the profile has for its
 * channel, and goes when the profile's address changes
 * @param lifts when each channel's suppression was last lifted, at most one per channel,
 * in channel order: a {@code suppress-address} whose evidence is older is not applied
 * ({@link UserCommand.SuppressAddress#evidence()}); kept while the user is, whatever the
 * profile's addresses
 */
public record UserState(int schemaVersion, String tenant, String userId, Profile profile, Preferences preferences,
		List<Device> devices, Set<String> topics, Instant updatedAt,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<Verdict> verdicts,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<Suppression> suppressions,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<Lift> lifts) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	/** Devices kept per user; registering one more drops the oldest. */
	public static final int MAX_DEVICES = 20;

	/**
	 * Verdicts kept per user: enough for every conditional write of one user that may
	 * still be waiting for its answer, unless more than this many race within one
	 * answer's wait.
	 */
	public static final int MAX_VERDICTS = 16;

	public UserState {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(userId, "userId");
		profile = (profile != null) ? profile : Profile.EMPTY;
		preferences = (preferences != null) ? preferences : Preferences.DEFAULT;
		devices = (devices != null) ? List.copyOf(devices) : List.of();
		topics = (topics != null) ? Collections.unmodifiableSortedSet(new TreeSet<>(topics)) : Set.of();
		Objects.requireNonNull(updatedAt, "updatedAt");
		verdicts = (verdicts != null) ? List.copyOf(verdicts) : List.of();
		suppressions = (suppressions != null) ? List.copyOf(suppressions) : List.of();
		lifts = (lifts != null) ? List.copyOf(lifts) : List.of();
	}

	/** A state of the shape before {@link #lifts()}. */
	public UserState(int schemaVersion, String tenant, String userId, Profile profile, Preferences preferences,
			List<Device> devices, Set<String> topics, Instant updatedAt, List<Verdict> verdicts,
			List<Suppression> suppressions) {
		this(schemaVersion, tenant, userId, profile, preferences, devices, topics, updatedAt, verdicts, suppressions,
				List.of());
	}

	/** A state of the shape before {@link #suppressions()}. */
	public UserState(int schemaVersion, String tenant, String userId, Profile profile, Preferences preferences,
			List<Device> devices, Set<String> topics, Instant updatedAt, List<Verdict> verdicts) {
		this(schemaVersion, tenant, userId, profile, preferences, devices, topics, updatedAt, verdicts, List.of(),
				List.of());
	}

	/** A state of the shape before {@link #verdicts()}. */
	public UserState(int schemaVersion, String tenant, String userId, Profile profile, Preferences preferences,
			List<Device> devices, Set<String> topics, Instant updatedAt) {
		this(schemaVersion, tenant, userId, profile, preferences, devices, topics, updatedAt, List.of(), List.of(),
				List.of());
	}

	/**
	 * A user nobody told Herald about: default preferences, no contact points (in-app
	 * only).
	 */
	public static UserState unknown(String tenant, String userId, Instant at) {
		return new UserState(SCHEMA_VERSION, tenant, userId, Profile.EMPTY, Preferences.DEFAULT, List.of(), Set.of(),
				at);
	}

	/**
	 * The suppression of the address the profile has for a channel now; none when the
	 * channel's address is not suppressed (or the profile has none).
	 */
	public Optional<Suppression> suppression(Channel channel) {
		String address = this.profile.address(channel);
		for (Suppression suppression : this.suppressions) {
			if (suppression.channel() == channel && suppression.isFor(address)) {
				return Optional.of(suppression);
			}
		}
		return Optional.empty();
	}

	/** When the channel's suppression was last lifted; none when it never was. */
	public Optional<Instant> liftedAt(Channel channel) {
		for (Lift lift : this.lifts) {
			if (lift.channel() == channel) {
				return Optional.of(lift.at());
			}
		}
		return Optional.empty();
	}

	/**
	 * What was decided about a conditional command; none for a request id not among the
	 * verdicts.
	 */
	public Optional<Verdict> verdict(String requestId) {
		for (Verdict verdict : this.verdicts) {
			if (verdict.requestId().equals(requestId)) {
				return Optional.of(verdict);
			}
		}
		return Optional.empty();
	}

	/**
	 * This state with a command applied. {@link UserCommand.EraseUser} yields
	 * {@code null}: the user is gone. A command whose {@link UserCommand#condition()
	 * condition} does not hold changes nothing but the verdicts.
	 */
	public @Nullable UserState apply(UserCommand command) {
		UserCommand.Condition condition = command.condition();
		if (condition == null) {
			return applyUnconditionally(command);
		}
		if (!condition.holdsFor(this.profile)) {
			return new UserState(SCHEMA_VERSION, this.tenant, this.userId, this.profile, this.preferences, this.devices,
					this.topics, this.updatedAt, verdictsWith(new Verdict(condition.requestId(), false)),
					this.suppressions, this.lifts);
		}
		UserState applied = applyUnconditionally(command);
		if (applied == null) {
			return null;
		}
		return new UserState(SCHEMA_VERSION, this.tenant, this.userId, applied.profile, applied.preferences,
				applied.devices, applied.topics, applied.updatedAt,
				verdictsWith(new Verdict(condition.requestId(), true)), applied.suppressions, applied.lifts);
	}

	private List<Verdict> verdictsWith(Verdict verdict) {
		List<Verdict> verdicts = new ArrayList<>(this.verdicts);
		verdicts.add(verdict);
		return verdicts.subList(Math.max(0, verdicts.size() - MAX_VERDICTS), verdicts.size());
	}

	private @Nullable UserState applyUnconditionally(UserCommand command) {
		Instant at = command.at();
		return switch (command) {
			case UserCommand.UpsertProfile upsert ->
				with(upsert.profile(), this.preferences, this.devices, this.topics, at);
			case UserCommand.MergeProfile merge ->
				with(merge.patch().applyTo(this.profile), this.preferences, this.devices, this.topics, at);
			case UserCommand.ReplacePreferences replace ->
				with(this.profile, replace.preferences(), this.devices, this.topics, at);
			case UserCommand.OptOutEmail optOut ->
				with(this.profile, optOut.applyTo(this.preferences), this.devices, this.topics, at);
			case UserCommand.RegisterDevice register -> {
				List<Device> devices = new ArrayList<>(this.devices);
				devices.removeIf((device) -> device.token().equals(register.device().token()));
				devices.add(register.device());
				while (devices.size() > MAX_DEVICES) {
					devices.remove(0);
				}
				yield with(this.profile, this.preferences, devices, this.topics, at);
			}
			case UserCommand.RemoveDevice remove -> {
				List<Device> devices = new ArrayList<>(this.devices);
				devices.removeIf((device) -> device.token().equals(remove.token()));
				yield with(this.profile, this.preferences, devices, this.topics, at);
			}
			case UserCommand.Subscribe subscribe -> {
				Set<String> topics = new TreeSet<>(this.topics);
				topics.add(subscribe.topic());
				yield with(this.profile, this.preferences, this.devices, topics, at);
			}
			case UserCommand.Unsubscribe unsubscribe -> {
				Set<String> topics = new TreeSet<>(this.topics);
				topics.remove(unsubscribe.topic());
				yield with(this.profile, this.preferences, this.devices, topics, at);
			}
			case UserCommand.SuppressAddress suppress -> withSuppressions(suppressed(suppress), this.lifts, at);
			case UserCommand.LiftSuppression lift -> withSuppressions(this.suppressions.stream()
				.filter((suppression) -> suppression.channel() != lift.channel())
				.toList(), liftedWith(lift), at);
			case UserCommand.EraseUser erase -> null;
		};
	}

	/**
	 * The suppressions with one more, which replaces the channel's; unchanged when the
	 * profile does not have its address, or the channel's suppression was lifted after
	 * the command's evidence.
	 */
	private List<Suppression> suppressed(UserCommand.SuppressAddress command) {
		Suppression added = command.suppression();
		if (!added.isFor(this.profile.address(added.channel()))
				|| liftedAt(added.channel()).filter(command.evidence()::isBefore).isPresent()) {
			return this.suppressions;
		}
		List<Suppression> suppressions = new ArrayList<>(this.suppressions);
		suppressions.removeIf((suppression) -> suppression.channel() == added.channel());
		suppressions.add(added);
		suppressions.sort(Comparator.comparing(Suppression::channel));
		return suppressions;
	}

	/** The lifts with the channel's last one at the lift's time, or later. */
	private List<Lift> liftedWith(UserCommand.LiftSuppression command) {
		Instant at = liftedAt(command.channel()).filter(command.at()::isBefore).orElse(command.at());
		List<Lift> lifts = new ArrayList<>(this.lifts);
		lifts.removeIf((lift) -> lift.channel() == command.channel());
		lifts.add(new Lift(command.channel(), at));
		lifts.sort(Comparator.comparing(Lift::channel));
		return lifts;
	}

	private UserState withSuppressions(List<Suppression> suppressions, List<Lift> lifts, Instant at) {
		return new UserState(SCHEMA_VERSION, this.tenant, this.userId, this.profile, this.preferences, this.devices,
				this.topics, at, this.verdicts, suppressions, lifts);
	}

	/**
	 * This state with other values; the suppressions of addresses {@code profile} no
	 * longer has are dropped.
	 */
	private UserState with(Profile profile, Preferences preferences, List<Device> devices, Set<String> topics,
			Instant at) {
		List<Suppression> kept = this.suppressions.stream()
			.filter((suppression) -> suppression.isFor(profile.address(suppression.channel())))
			.toList();
		return new UserState(SCHEMA_VERSION, this.tenant, this.userId, profile, preferences, devices, topics, at,
				this.verdicts, kept, this.lifts);
	}

	/**
	 * The last lift of a channel's suppression.
	 *
	 * @param channel {@link Channel#EMAIL} or {@link Channel#SMS}
	 * @param at when it was lifted
	 */
	public record Lift(Channel channel, Instant at) {

		public Lift {
			Suppression.requireAddressChannel(channel);
			Objects.requireNonNull(at, "at");
		}

	}

	/**
	 * Whether a conditional command was applied.
	 *
	 * @param requestId the command's {@link UserCommand.Condition#requestId()}
	 * @param applied whether its condition held
	 */
	public record Verdict(String requestId, boolean applied) {

		public Verdict {
			Objects.requireNonNull(requestId, "requestId");
		}

	}

}
