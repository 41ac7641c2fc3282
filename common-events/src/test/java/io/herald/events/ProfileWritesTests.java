package io.herald.events;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Profile merges, entity tags and conditional profile commands. */
class ProfileWritesTests {

	private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	private static final Profile ADA = new Profile("ada@example.com", "+4915112345678", "de-DE", "Europe/Berlin");

	private final UserState ada = UserState.unknown("acme", "u-1", T0).apply(upsert(ADA, null, T0));

	@Test
	void aPatchSetsAndRemovesOnlyTheFieldsItNames() {
		ProfilePatch patch = new ProfilePatch(new Profile(null, "+4915100000000", null, null), Set.of("email"));
		assertThat(patch.applyTo(ADA)).isEqualTo(new Profile(null, "+4915100000000", "de-DE", "Europe/Berlin"));
		assertThat(new ProfilePatch(Profile.EMPTY, Set.of()).applyTo(ADA)).isEqualTo(ADA);
	}

	@Test
	void aPatchRefusesUnknownFieldsAndAFieldBothSetAndRemoved() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ProfilePatch(Profile.EMPTY, Set.of("name")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ProfilePatch(new Profile("a@b.example", null, null, null), Set.of("email")));
	}

	@Test
	void entityTagsAreStableAcrossReleasesAndTellProfilesApart() {
		// Fixed values: clients keep tags across a release, so the derivation must never
		// change.
		assertThat(Profile.EMPTY.entityTag()).isEqualTo("3z9hmASpL9tAVxkt");
		assertThat(ADA.entityTag()).isEqualTo("vkk9CXUhcfK2TvwC");
		assertThat(new Profile("ab", null, null, null).entityTag())
			.isNotEqualTo(new Profile("a", "b", null, null).entityTag())
			.isNotEqualTo(new Profile(null, "ab", null, null).entityTag())
			.isNotEqualTo(new Profile("ab", "", null, null).entityTag());
	}

	@Test
	void aConditionalWriteIsAppliedOnlyToTheProfileItNamesAndTheVerdictIsKept() {
		UserCommand.Condition stale = new UserCommand.Condition("r-1", Set.of(Profile.EMPTY.entityTag()));
		UserState refused = this.ada.apply(merge(new Profile(null, null, "en", null), stale, T0.plusSeconds(1)));
		assertThat(refused.profile()).isEqualTo(ADA);
		assertThat(refused.updatedAt()).isEqualTo(T0);
		assertThat(refused.verdict("r-1")).contains(new UserState.Verdict("r-1", false));

		UserCommand.Condition current = new UserCommand.Condition("r-2", Set.of(ADA.entityTag(), "other"));
		UserState applied = refused.apply(merge(new Profile(null, null, "en", null), current, T0.plusSeconds(2)));
		assertThat(applied.profile().locale()).isEqualTo("en");
		assertThat(applied.profile().email()).isEqualTo(ADA.email());
		assertThat(applied.updatedAt()).isEqualTo(T0.plusSeconds(2));
		assertThat(applied.verdicts()).containsExactly(new UserState.Verdict("r-1", false),
				new UserState.Verdict("r-2", true));

		UserCommand.Condition any = new UserCommand.Condition("r-3", Set.of());
		assertThat(applied.apply(upsert(Profile.EMPTY, any, T0.plusSeconds(3))).profile()).isEqualTo(Profile.EMPTY);
	}

	@Test
	void keepsOnlyTheLatestVerdicts() {
		UserState state = this.ada;
		for (int i = 0; i < UserState.MAX_VERDICTS + 4; i++) {
			state = state.apply(upsert(ADA, new UserCommand.Condition("r-" + i, Set.of()), T0.plusSeconds(i)));
		}
		assertThat(state.verdicts()).hasSize(UserState.MAX_VERDICTS);
		assertThat(state.verdict("r-3")).isEmpty();
		assertThat(state.verdict("r-4")).isPresent();
	}

	@Test
	void conditionalAndMergeCommandsAreWrittenAsVersionTwoAndRoundTrip() {
		JsonCodec<UserCommand> codec = Topics.USER_COMMANDS.codec();
		UserCommand merge = new UserCommand.MergeProfile(UserCommand.CONDITIONAL_SCHEMA_VERSION, "acme", "u-1", T0,
				new ProfilePatch(new Profile(null, "+4915100000000", null, null), Set.of("email")),
				new UserCommand.Condition("r-1", Set.of(ADA.entityTag())));
		assertThat(codec.decode(codec.encode(merge))).isEqualTo(merge);
		String json = new String(codec.encode(merge), StandardCharsets.UTF_8);
		assertThat(json).contains("\"command\":\"merge-profile\"").contains("\"schemaVersion\":2");
		UserCommand plain = new UserCommand.UpsertProfile(UserCommand.SCHEMA_VERSION, "acme", "u-1", T0, ADA);
		assertThat(new String(codec.encode(plain), StandardCharsets.UTF_8)).doesNotContain("condition");
		JsonCodec<UserState> states = new JsonCodec<>(UserState.class, UserState.SCHEMA_VERSION);
		UserState withVerdicts = this.ada.apply(upsert(ADA, new UserCommand.Condition("r-9", Set.of()), T0));
		assertThat(states.decode(states.encode(withVerdicts))).isEqualTo(withVerdicts);
	}

	private static UserCommand upsert(Profile profile, UserCommand.@Nullable Condition condition, Instant at) {
		return new UserCommand.UpsertProfile((condition != null) ? 2 : 1, "acme", "u-1", at, profile, condition);
	}

	private static UserCommand merge(Profile set, UserCommand.Condition condition, Instant at) {
		return new UserCommand.MergeProfile(2, "acme", "u-1", at, new ProfilePatch(set, Set.of()), condition);
	}

}
