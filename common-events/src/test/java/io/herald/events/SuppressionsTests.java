package io.herald.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SuppressionsTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static final Profile JANE = new Profile("jane@bounce.invalid", "+15550001234", "en", null);

	private final UserState jane = UserState.unknown("acme", "u-1", T0)
		.apply(new UserCommand.UpsertProfile(1, "acme", "u-1", T0, JANE));

	@Test
	void aSuppressionOfTheProfilesAddressIsKeptWithItsReason() {
		UserState state = this.jane
			.apply(suppress(Channel.EMAIL, "jane@bounce.invalid", SuppressionReason.BAD_ADDRESS));

		assertThat(state.suppression(Channel.EMAIL)).hasValueSatisfying((suppression) -> {
			assertThat(suppression.reason()).isEqualTo(SuppressionReason.BAD_ADDRESS);
			assertThat(suppression.notificationId()).isEqualTo("n-1");
			assertThat(suppression.since()).isEqualTo(T0.plusSeconds(1));
		});
		assertThat(state.suppression(Channel.SMS)).isEmpty();
		assertThat(state.updatedAt()).isEqualTo(T0.plusSeconds(1));
	}

	@Test
	void aSuppressionOfAnAddressTheProfileNoLongerHasChangesNothing() {
		UserState state = this.jane.apply(suppress(Channel.EMAIL, "old@example.com", SuppressionReason.BAD_ADDRESS));

		assertThat(state.suppressions()).isEmpty();
	}

	@Test
	void theSameEmailAddressInOtherLettersIsStillSuppressed() {
		UserState state = this.jane.apply(suppress(Channel.EMAIL, "Jane@Bounce.Invalid", SuppressionReason.COMPLAINT));

		assertThat(state.suppression(Channel.EMAIL)).isPresent();
	}

	@Test
	void aNewAddressIsNotSuppressedAndTheOldSuppressionGoes() {
		UserState suppressed = this.jane
			.apply(suppress(Channel.EMAIL, "jane@bounce.invalid", SuppressionReason.BAD_ADDRESS))
			.apply(suppress(Channel.SMS, "+15550001234", SuppressionReason.INVALID_NUMBER));

		UserState changed = suppressed.apply(new UserCommand.MergeProfile(2, "acme", "u-1", T0.plusSeconds(5),
				new ProfilePatch(new Profile("jane@example.com", null, null, null), Set.of()), null));

		assertThat(changed.suppression(Channel.EMAIL)).isEmpty();
		assertThat(changed.suppression(Channel.SMS)).isPresent();
		assertThat(changed.suppressions()).extracting(Suppression::channel).containsExactly(Channel.SMS);
	}

	@Test
	void theSameAddressPutAgainStaysSuppressed() {
		UserState state = this.jane.apply(suppress(Channel.SMS, "+15550001234", SuppressionReason.UNSUBSCRIBED))
			.apply(new UserCommand.UpsertProfile(1, "acme", "u-1", T0.plusSeconds(9), JANE));

		assertThat(state.suppression(Channel.SMS)).map(Suppression::reason).hasValue(SuppressionReason.UNSUBSCRIBED);
	}

	@Test
	void aLaterSuppressionReplacesTheChannelsAndALiftRemovesIt() {
		UserState state = this.jane.apply(suppress(Channel.EMAIL, "jane@bounce.invalid", SuppressionReason.BAD_ADDRESS))
			.apply(suppress(Channel.EMAIL, "jane@bounce.invalid", SuppressionReason.COMPLAINT));
		assertThat(state.suppressions()).singleElement()
			.extracting(Suppression::reason)
			.isEqualTo(SuppressionReason.COMPLAINT);

		UserState lifted = state
			.apply(new UserCommand.LiftSuppression(1, "acme", "u-1", T0.plusSeconds(9), Channel.EMAIL));

		assertThat(lifted.suppressions()).isEmpty();
		assertThat(lifted.updatedAt()).isEqualTo(T0.plusSeconds(9));
	}

	@Test
	void evidenceOlderThanTheLastLiftSuppressesNothing() {
		UserState lifted = this.jane
			.apply(suppress(Channel.EMAIL, "jane@bounce.invalid", SuppressionReason.BAD_ADDRESS))
			.apply(new UserCommand.LiftSuppression(1, "acme", "u-1", T0.plusSeconds(9), Channel.EMAIL));
		assertThat(lifted.liftedAt(Channel.EMAIL)).hasValue(T0.plusSeconds(9));

		// A receipt of a message sent before the lift, recorded after it.
		UserState late = lifted.apply(suppress(Channel.EMAIL, "jane@bounce.invalid", SuppressionReason.COMPLAINT,
				T0.plusSeconds(20), T0.plusSeconds(8)));
		assertThat(late.suppressions()).isEmpty();
		assertThat(late.liftedAt(Channel.EMAIL)).hasValue(T0.plusSeconds(9));

		UserState newer = lifted.apply(suppress(Channel.EMAIL, "jane@bounce.invalid", SuppressionReason.COMPLAINT,
				T0.plusSeconds(20), T0.plusSeconds(10)));
		assertThat(newer.suppression(Channel.EMAIL)).map(Suppression::reason).hasValue(SuppressionReason.COMPLAINT);
	}

	@Test
	void aLiftHoldsOnlyForItsChannelAndNeverMovesBack() {
		UserState lifted = this.jane
			.apply(new UserCommand.LiftSuppression(1, "acme", "u-1", T0.plusSeconds(9), Channel.SMS))
			.apply(new UserCommand.LiftSuppression(1, "acme", "u-1", T0.plusSeconds(5), Channel.SMS));
		assertThat(lifted.liftedAt(Channel.SMS)).hasValue(T0.plusSeconds(9));
		assertThat(lifted.liftedAt(Channel.EMAIL)).isEmpty();

		UserState email = lifted.apply(suppress(Channel.EMAIL, "jane@bounce.invalid", SuppressionReason.BAD_ADDRESS,
				T0.plusSeconds(20), T0.plusSeconds(2)));
		assertThat(email.suppression(Channel.EMAIL)).isPresent();
		// A command without evidenceAt counts from its own time.
		UserState sms = lifted.apply(new UserCommand.SuppressAddress(1, "acme", "u-1", T0.plusSeconds(8), Channel.SMS,
				"+15550001234", SuppressionReason.MANUAL, null));
		assertThat(sms.suppression(Channel.SMS)).isEmpty();
	}

	@Test
	void aProfileWriteKeepsTheLiftsAndAnErasureRemovesThem() {
		UserState lifted = this.jane
			.apply(new UserCommand.LiftSuppression(1, "acme", "u-1", T0.plusSeconds(9), Channel.EMAIL))
			.apply(new UserCommand.UpsertProfile(1, "acme", "u-1", T0.plusSeconds(10),
					new Profile("jane@example.com", null, null, null)));

		assertThat(lifted.lifts()).containsExactly(new UserState.Lift(Channel.EMAIL, T0.plusSeconds(9)));
		assertThat(lifted.apply(new UserCommand.EraseUser(1, "acme", "u-1", T0.plusSeconds(11)))).isNull();
	}

	@Test
	void onlyEmailAndSmsAddressesAreSuppressed() {
		assertThatIllegalArgumentException().isThrownBy(() -> new UserCommand.SuppressAddress(1, "acme", "u-1", T0,
				Channel.PUSH, "token", SuppressionReason.MANUAL, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new UserCommand.LiftSuppression(1, "acme", "u-1", T0, Channel.INAPP));
	}

	@Test
	void commandsAboutAnAddressOrADeviceCreateNoUser() {
		assertThat(suppress(Channel.EMAIL, "jane@bounce.invalid", SuppressionReason.BAD_ADDRESS).createsUser())
			.isFalse();
		assertThat(new UserCommand.LiftSuppression(1, "acme", "u-1", T0, Channel.SMS).createsUser()).isFalse();
		assertThat(new UserCommand.RemoveDevice(1, "acme", "u-1", T0, "t", "unregistered").createsUser()).isFalse();
		assertThat(new UserCommand.UpsertProfile(1, "acme", "u-1", T0, JANE).createsUser()).isTrue();
		assertThat(new UserCommand.EraseUser(1, "acme", "u-1", T0).createsUser()).isTrue();
	}

	private static UserCommand.SuppressAddress suppress(Channel channel, String address, SuppressionReason reason,
			Instant at, Instant evidenceAt) {
		return new UserCommand.SuppressAddress(UserCommand.CONDITIONAL_SCHEMA_VERSION, "acme", "u-1", at, channel,
				address, reason, "n-1", evidenceAt);
	}

	private static UserCommand.SuppressAddress suppress(Channel channel, String address, SuppressionReason reason) {
		return new UserCommand.SuppressAddress(1, "acme", "u-1", T0.plusSeconds(1), channel, address, reason, "n-1");
	}

}
