package io.herald.routing.preference;

import io.herald.events.Channel;
import io.herald.events.Device;
import io.herald.events.Preferences;
import io.herald.events.Preferences.CategoryRule;
import io.herald.events.Profile;
import io.herald.events.SuppressionReason;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelPreferencesTests {

	private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

	private final ChannelPreferences preferences = new ChannelPreferences();

	@Test
	void reachableUserWithDefaultPreferencesGetsEveryChannel() {
		assertThat(this.preferences.decide("order.shipped", Set.of(), user(Preferences.DEFAULT))).containsExactly(
				deliver(Channel.INAPP), deliver(Channel.PUSH), deliver(Channel.EMAIL), deliver(Channel.SMS));
	}

	@Test
	void unknownUserGetsInAppOnlyWithAReasonPerMissingContactPoint() {
		assertThat(this.preferences.decide("order.shipped", Set.of(), UserState.unknown("acme", "u-1", NOW)))
			.containsExactly(deliver(Channel.INAPP), skip(Channel.PUSH, "no_device"), skip(Channel.EMAIL, "no_email"),
					skip(Channel.SMS, "no_phone"));
	}

	@Test
	void switchedOffChannelIsSkippedAsPreferenceBeforeContactPoints() {
		UserState user = UserState.unknown("acme", "u-1", NOW);
		user = new UserState(1, "acme", "u-1", Profile.EMPTY,
				new Preferences(Map.of(Channel.EMAIL, false), Map.of(), null), List.of(), Set.of(), NOW);
		assertThat(this.preferences.decide("x", Set.of(Channel.EMAIL), user))
			.containsExactly(skip(Channel.EMAIL, "preference"));
	}

	@Test
	void eventChannelRestrictionLeavesOtherChannelsUndecided() {
		assertThat(
				this.preferences.decide("order.shipped", Set.of(Channel.SMS, Channel.INAPP), user(Preferences.DEFAULT)))
			.containsExactly(deliver(Channel.INAPP), deliver(Channel.SMS));
	}

	@Test
	void disabledCategorySkipsEveryChannel() {
		Preferences preferences = new Preferences(Map.of(), Map.of("marketing.*", new CategoryRule(false, null)), null);
		assertThat(this.preferences.decide("marketing.sale", Set.of(), user(preferences)))
			.allSatisfy((decision) -> assertThat(decision).isInstanceOf(ChannelDecision.Skip.class))
			.hasSize(4);
		assertThat(this.preferences.decide("marketingfoo", Set.of(Channel.INAPP), user(preferences)))
			.containsExactly(deliver(Channel.INAPP));
	}

	@Test
	void categoryChannelListSkipsChannelsNotListed() {
		Preferences preferences = new Preferences(Map.of(),
				Map.of("order.*", new CategoryRule(null, Set.of(Channel.PUSH, Channel.INAPP))), null);
		assertThat(this.preferences.decide("order.shipped", Set.of(), user(preferences))).containsExactly(
				deliver(Channel.INAPP), deliver(Channel.PUSH), skip(Channel.EMAIL, "preference"),
				skip(Channel.SMS, "preference"));
	}

	@Test
	void aSuppressedAddressIsSkippedWithItsReasonAfterPreferences() {
		UserState user = user(new Preferences(Map.of(Channel.SMS, false), Map.of(), null))
			.apply(new UserCommand.SuppressAddress(1, "acme", "u-1", NOW, Channel.EMAIL, "u-1@example.com",
					SuppressionReason.BAD_ADDRESS, "n-1"))
			.apply(new UserCommand.SuppressAddress(1, "acme", "u-1", NOW, Channel.SMS, "+4915100000001",
					SuppressionReason.UNSUBSCRIBED, "n-2"));

		assertThat(this.preferences.decide("security.login", Set.of(), user)).containsExactly(deliver(Channel.INAPP),
				deliver(Channel.PUSH), skip(Channel.EMAIL, "bad_address"), skip(Channel.SMS, "preference"));
	}

	@Test
	void mostSpecificPatternWins() {
		CategoryRule all = new CategoryRule(false, null);
		CategoryRule marketing = new CategoryRule(null, Set.of(Channel.EMAIL));
		CategoryRule marketingNews = new CategoryRule(null, Set.of(Channel.PUSH));
		CategoryRule exact = new CategoryRule(true, null);
		Map<String, CategoryRule> rules = Map.of("*", all, "marketing.*", marketing, "marketing.news.*", marketingNews,
				"marketing.news.weekly", exact);
		Preferences preferences = new Preferences(Map.of(), rules, null);
		assertThat(preferences.ruleFor("marketing.news.weekly")).isSameAs(exact);
		assertThat(preferences.ruleFor("marketing.news.daily")).isSameAs(marketingNews);
		assertThat(preferences.ruleFor("marketing.sale")).isSameAs(marketing);
		assertThat(preferences.ruleFor("order.shipped")).isSameAs(all);
		assertThat(new Preferences(Map.of(), Map.of("order.shipped", exact), null).ruleFor("order.created")).isNull();
	}

	private static UserState user(Preferences preferences) {
		Device device = new Device(Device.Platform.ANDROID, "token-0123456789", null, NOW);
		return new UserState(1, "acme", "u-1", new Profile("u-1@example.com", "+4915100000001", "en", "UTC"),
				preferences, List.of(device), Set.of(), NOW);
	}

	private static ChannelDecision deliver(Channel channel) {
		return new ChannelDecision.Deliver(channel);
	}

	private static ChannelDecision skip(Channel channel, String reason) {
		return new ChannelDecision.Skip(channel, reason);
	}

}
