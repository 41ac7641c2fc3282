package io.herald.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserStateTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private final UserState unknown = UserState.unknown("acme", "u-1", T0);

	@Test
	void anUnknownUserHasDefaultsAndNoContactPoints() {
		assertThat(this.unknown.profile()).isEqualTo(Profile.EMPTY);
		assertThat(this.unknown.preferences()).isEqualTo(Preferences.DEFAULT);
		assertThat(this.unknown.devices()).isEmpty();
	}

	@Test
	void registeringAKnownTokenAgainRefreshesItInsteadOfAddingIt() {
		UserState state = this.unknown.apply(register("t1", T0))
			.apply(register("t2", T0.plusSeconds(1)))
			.apply(register("t1", T0.plusSeconds(2)));
		assertThat(state.devices()).extracting(Device::token).containsExactly("t2", "t1");
		assertThat(state.updatedAt()).isEqualTo(T0.plusSeconds(2));
	}

	@Test
	void keepsAtMostTwentyDevicesDroppingTheOldest() {
		UserState state = this.unknown;
		for (int i = 0; i < 25; i++) {
			state = state.apply(register("t" + i, T0.plusSeconds(i)));
		}
		assertThat(state.devices()).hasSize(UserState.MAX_DEVICES);
		assertThat(state.devices().get(0).token()).isEqualTo("t5");
	}

	@Test
	void removesDevicesAndTopics() {
		UserState state = this.unknown.apply(register("t1", T0))
			.apply(new UserCommand.Subscribe(1, "acme", "u-1", T0, "news"))
			.apply(new UserCommand.RemoveDevice(1, "acme", "u-1", T0, "t1", "unregistered"))
			.apply(new UserCommand.Unsubscribe(1, "acme", "u-1", T0, "news"));
		assertThat(state.devices()).isEmpty();
		assertThat(state.topics()).isEmpty();
	}

	@Test
	void replacesProfileAndPreferencesAndErases() {
		Preferences preferences = new Preferences(Map.of(Channel.SMS, false), Map.of(),
				new Preferences.QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0)));
		UserState state = this.unknown
			.apply(new UserCommand.UpsertProfile(1, "acme", "u-1", T0, new Profile("a@b.example", null, "de", null)))
			.apply(new UserCommand.ReplacePreferences(1, "acme", "u-1", T0, preferences));
		assertThat(state.profile().email()).isEqualTo("a@b.example");
		assertThat(state.preferences()).isEqualTo(preferences);
		assertThat(state.apply(new UserCommand.EraseUser(1, "acme", "u-1", T0))).isNull();
	}

	@Test
	void anEmailOptOutChangesOnlyTheEmailOfThePreferencesItMeets() {
		Preferences own = new Preferences(Map.of(Channel.SMS, false), Map.of(), null);
		UserState state = this.unknown.apply(new UserCommand.ReplacePreferences(1, "acme", "u-1", T0, own))
			.apply(new UserCommand.OptOutEmail(2, "acme", "u-1", T0.plusSeconds(1), "digest"));
		assertThat(state.preferences().channels()).isEqualTo(own.channels());
		assertThat(state.preferences().ruleFor("digest").channels()).doesNotContain(Channel.EMAIL);
		assertThat(state.updatedAt()).isEqualTo(T0.plusSeconds(1));
		UserState allOff = state.apply(new UserCommand.OptOutEmail(2, "acme", "u-1", T0.plusSeconds(2), null));
		assertThat(allOff.preferences().channels()).containsEntry(Channel.EMAIL, false)
			.containsEntry(Channel.SMS, false);
	}

	@Test
	void notificationIdsAreStablePerEventUserAndChannel() {
		assertThat(DeliverNotification.notificationId("e1", "u1", Channel.PUSH))
			.isEqualTo(DeliverNotification.notificationId("e1", "u1", Channel.PUSH))
			.isNotEqualTo(DeliverNotification.notificationId("e1", "u1", Channel.EMAIL))
			.isNotEqualTo(DeliverNotification.notificationId("e1", "u2", Channel.PUSH));
	}

	@Test
	void laneTopicsAreNamedByChannelAndLane() {
		assertThat(Topics.deliver(Channel.PUSH, Lane.PRIORITY).name()).isEqualTo("herald.deliver.push.priority");
		assertThat(Topics.deliver(Channel.INAPP, Lane.BULK).name()).isEqualTo("herald.deliver.inapp.bulk");
		assertThat(Topics.deliver(Channel.SMS, Lane.CRITICAL).name()).isEqualTo("herald.deliver.sms.critical");
	}

	@Test
	void criticalEventsHaveALogOfTheirOwn() {
		assertThat(Topics.eventLog(Priority.CRITICAL).name()).isEqualTo("herald.events.critical");
		for (Priority priority : List.of(Priority.HIGH, Priority.NORMAL, Priority.LOW)) {
			assertThat(Topics.eventLog(priority)).isSameAs(Topics.EVENTS);
		}
		assertThat(Topics.EVENT_LOGS).containsExactly(Topics.EVENTS, Topics.CRITICAL_EVENTS);
	}

	private static UserCommand register(String token, Instant at) {
		return new UserCommand.RegisterDevice(1, "acme", "u-1", at,
				new Device(Device.Platform.ANDROID, token, null, at));
	}

}
