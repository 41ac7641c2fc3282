package io.herald.routing.user;

import io.herald.events.Profile;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UserWritesTests {

	private static final Instant AT = Instant.parse("2026-11-22T12:00:00.123456Z");

	private final UserCommand subscribe = new UserCommand.Subscribe(UserCommand.SCHEMA_VERSION, "acme", "u-1", AT,
			"news");

	private final UserCommand erase = new UserCommand.EraseUser(UserCommand.SCHEMA_VERSION, "acme", "u-1", AT);

	@Test
	void aCommandIsAppliedOnceTheStateIsAsNewAsTheCommand() {
		UserState state = UserState.unknown("acme", "u-1", AT.minusSeconds(1)).apply(this.subscribe);
		assertThat(UserWrites.outcome(this.subscribe, new Lookup.Found(state)))
			.isEqualTo(new UserWrites.Outcome.Applied(state));
		UserState newer = UserState.unknown("acme", "u-1", AT.plusNanos(1000));
		assertThat(UserWrites.outcome(this.subscribe, new Lookup.Found(newer)))
			.isEqualTo(new UserWrites.Outcome.Applied(newer));
	}

	@Test
	void aCommandIsNotAppliedWhileTheStateIsOlderOrMissingOrUnavailable() {
		UserState older = UserState.unknown("acme", "u-1", AT.minusNanos(1000));
		assertThat(UserWrites.outcome(this.subscribe, new Lookup.Found(older))).isNull();
		assertThat(UserWrites.outcome(this.subscribe, new Lookup.Missing())).isNull();
		assertThat(UserWrites.outcome(this.subscribe, new Lookup.Unavailable("rebalancing"))).isNull();
	}

	@Test
	void anErasureIsAppliedOnceTheUserIsGone() {
		assertThat(UserWrites.outcome(this.erase, new Lookup.Missing())).isEqualTo(new UserWrites.Outcome.Erased());
		assertThat(UserWrites.outcome(this.erase, new Lookup.Found(UserState.unknown("acme", "u-1", AT)))).isNull();
		assertThat(UserWrites.outcome(this.erase, new Lookup.Unavailable("restoring"))).isNull();
	}

	@Test
	void aConditionalCommandIsAnsweredByItsVerdictNotByTime() {
		UserCommand.Condition condition = new UserCommand.Condition("r-1", Set.of("aaaaaaaaaaaaaaaa"));
		UserCommand conditional = new UserCommand.UpsertProfile(UserCommand.CONDITIONAL_SCHEMA_VERSION, "acme", "u-1",
				AT, Profile.EMPTY, condition);
		UserState newer = UserState.unknown("acme", "u-1", AT.plusSeconds(1));
		assertThat(UserWrites.outcome(conditional, new Lookup.Found(newer))).as("no verdict yet").isNull();
		UserState refused = newer.apply(conditional);
		assertThat(UserWrites.outcome(conditional, new Lookup.Found(refused)))
			.isEqualTo(new UserWrites.Outcome.Refused(refused));
		UserCommand any = new UserCommand.UpsertProfile(UserCommand.CONDITIONAL_SCHEMA_VERSION, "acme", "u-1", AT,
				Profile.EMPTY, new UserCommand.Condition("r-2", Set.of()));
		UserState applied = newer.apply(any);
		assertThat(UserWrites.outcome(any, new Lookup.Found(applied)))
			.isEqualTo(new UserWrites.Outcome.Applied(applied));
		assertThat(UserWrites.outcome(any, new Lookup.Missing())).as("erased meanwhile")
			.isEqualTo(new UserWrites.Outcome.Refused(null));
		assertThat(UserWrites.outcome(any, new Lookup.Unavailable("restoring"))).isNull();
	}

}
