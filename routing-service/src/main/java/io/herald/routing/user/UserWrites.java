package io.herald.routing.user;

import io.herald.events.UserCommand;
import io.herald.events.UserState;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;

/**
 * Carries out the user API's writes: each write is one {@link UserCommand} on
 * {@code herald.user-commands}, published with {@code acks=all}, and then, so that a
 * client reads its own writes, awaited until the user state shows it.
 *
 * <p>
 * A command counts as applied once the user's state has {@code updatedAt >= command.at()}
 * (for {@link UserCommand.EraseUser}: once the user is gone). Commands are timed by the
 * clock of the instance that accepted them, so this assumes the routing instances' clocks
 * agree to well within the time between two writes of one user.
 */
@Component
class UserWrites {

	private final UserCommandPublisher publisher;

	private final UserStateQueries queries;

	private final UserApiProperties properties;

	private final Clock clock;

	UserWrites(UserCommandPublisher publisher, UserStateQueries queries, UserApiProperties properties,
			ObjectProvider<Clock> clock) {
		this.publisher = publisher;
		this.queries = queries;
		this.properties = properties;
		this.clock = clock.getIfUnique(Clock::systemUTC);
	}

	/** The time of a new command. */
	Instant now() {
		return this.clock.instant();
	}

	/**
	 * Publishes a command and waits, at most
	 * {@link UserApiProperties#readYourWritesTimeout()}, until the user state shows it.
	 * @throws io.herald.support.web.ApiProblemException {@code 503} when the command log
	 * does not acknowledge the command: nothing may have been written
	 */
	Outcome write(UserCommand command) {
		this.publisher.publish(command);
		long deadline = System.nanoTime() + this.properties.readYourWritesTimeout().toNanos();
		while (true) {
			Lookup lookup = this.queries.lookup(command.tenant(), command.userId());
			Outcome outcome = outcome(command, lookup);
			if (outcome != null) {
				return outcome;
			}
			if (System.nanoTime() - deadline >= 0) {
				return new Outcome.Pending();
			}
			UserStateQueries.pause(this.properties.readYourWritesPoll());
		}
	}

	/** What a lookup says about a command: applied, or {@code null} for not yet. */
	static @Nullable Outcome outcome(UserCommand command, Lookup lookup) {
		if (command instanceof UserCommand.EraseUser) {
			return (lookup instanceof Lookup.Missing) ? new Outcome.Erased() : null;
		}
		UserCommand.Condition condition = command.condition();
		if (condition != null) {
			return conditionalOutcome(condition, lookup);
		}
		if (lookup instanceof Lookup.Found found && !found.state().updatedAt().isBefore(command.at())) {
			return new Outcome.Applied(found.state());
		}
		return null;
	}

	/**
	 * What a lookup says about a conditional command: its verdict, once the state holds
	 * one. Such a command is published only for a known user, so a user who is gone now
	 * was erased meanwhile: refused, as the command is (or was applied just before the
	 * erasure).
	 */
	private static @Nullable Outcome conditionalOutcome(UserCommand.Condition condition, Lookup lookup) {
		return switch (lookup) {
			case Lookup.Missing missing -> new Outcome.Refused(null);
			case Lookup.Unavailable unavailable -> null;
			case Lookup.Found found -> found.state()
				.verdict(condition.requestId())
				.map((verdict) -> verdict.applied() ? new Outcome.Applied(found.state())
						: (Outcome) new Outcome.Refused(found.state()))
				.orElse(null);
		};
	}

	/** The outcome of a write whose command is durable. */
	sealed interface Outcome {

		/** The user state shows the command; this is the state. */
		record Applied(UserState state) implements Outcome {
		}

		/**
		 * The command's condition did not hold: nothing changed.
		 *
		 * @param state the user's state, {@code null} when the user is not known
		 */
		record Refused(@Nullable UserState state) implements Outcome {
		}

		/** The user state shows the erasure: the user is gone. */
		record Erased() implements Outcome {
		}

		/**
		 * The command is durable but the user state did not show it in time: it will, and
		 * a later read returns it. The API answers {@code 202} with what the command
		 * asked for.
		 */
		record Pending() implements Outcome {
		}

	}

}
